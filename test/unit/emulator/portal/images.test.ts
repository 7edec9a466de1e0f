// Organization pictures (images.ts): multipart upload, limits, read back.
import { createOrg, harness, jpeg, NOT_FOUND, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: organization image", () => {
  test("upload a JPEG (multipart `file`) → 204; the organization points at it; GET returns it", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Pictured" });
    const missing = await h.call("GET", `${P}/organizations/${org.id}/image`);
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].code).toBe(404);

    const picture = jpeg(2048, 0x17);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(picture)], { type: "image/jpeg" }), "logo.jpg");
    const up = await h.call("POST", `${P}/organizations/${org.id}/image/?type=image/jpeg`, { body: fd });
    expect(up.status).toBe(204);
    expect(up.text).toBe("");
    const uri = `${P}/organizations/${org.id}/image`;
    expect((await h.call("GET", `${P}/organizations/${org.id}`)).json.image).toBe(uri);
    const got = await h.call("GET", uri);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
    expect(got.bytes.equals(picture)).toBe(true);
    expect((await h.call("GET", `${uri}/`)).bytes.equals(picture)).toBe(true);
    // The image survives a PUT of the organization, whatever the body says.
    const put = await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "Pictured", image: null } });
    expect(put.json.image).toBe(uri);
  });

  test("hand-written multipart with other fields, LF-free CRLF framing and a quoted boundary", async () => {
    const h = await harness();
    const picture = jpeg(100);
    const boundary = "----emulator boundary";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      picture,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await h.call("POST", `${P}/organizations/${seededOrgId()}/image`, {
      body,
      headers: { "content-type": `multipart/form-data; boundary="${boundary}"` },
    });
    expect(r.status).toBe(204);
    expect((await h.call("GET", `${P}/organizations/${seededOrgId()}/image`)).bytes.equals(picture)).toBe(true);
  });

  test("non-JPEG → 400, too large → 413, no file part or not multipart → 400, unknown org → 404", async () => {
    const h = await harness({ maxImageBytes: 1000 });
    const id = seededOrgId();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const form = (data: Buffer, field = "file") => {
      const fd = new FormData();
      fd.set(field, new Blob([new Uint8Array(data)]), "x.bin");
      return fd;
    };
    const notJpeg = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(png) });
    expect(notJpeg.status).toBe(400);
    expect(notJpeg.json.errors[0].message).toMatch(/JPEG/);
    const big = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(1001)) });
    expect(big.status).toBe(413);
    expect(big.json.errors[0].code).toBe(413);
    const huge = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(200_000)) });
    expect(huge.status).toBe(413);
    expect((await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(1000)) })).status).toBe(204);
    const wrongField = await h.call("POST", `${P}/organizations/${id}/image`, { body: form(jpeg(), "picture") });
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.errors[0].message).toMatch(/'file'/);
    expect((await h.call("POST", `${P}/organizations/${id}/image`, { body: { file: "x" } })).status).toBe(400);
    const broken = await h.call("POST", `${P}/organizations/${id}/image`, {
      body: "garbage",
      headers: { "content-type": "multipart/form-data; boundary=zz" },
    });
    expect(broken.status).toBe(400);
    expect((await h.call("POST", `${P}/organizations/nope/image`, { body: form(jpeg()) })).json).toEqual(NOT_FOUND);
    expect((await h.call("GET", `${P}/organizations/nope/image`)).json).toEqual(NOT_FOUND);
  });
});

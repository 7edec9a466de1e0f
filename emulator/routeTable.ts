// A service's routes, listed once: matching, route templates (stats, fault matching), the 405
// `Allow` list and dispatch all come from the same table. Requests are matched by path first,
// then by method, so a known path asked with another method can be told which methods it has.

export interface Route {
  method: string;
  /** Path template: literal text and `{name}` parameters, e.g. `/orgs/{org}/projects`. */
  path: string;
}

export interface PathMatch<R extends Route> {
  /** The matched path template. */
  path: string;
  /** Raw (still percent-encoded) parameters. */
  params: Record<string, string>;
  /** The route of the request's method; undefined when the path has no such method. */
  route?: R;
  /** The path's methods, in table order. */
  allow: string[];
}

export interface RouteTableOptions {
  /** A parameter that is a whole segment may be empty (the service answers it); default false. */
  emptyParams?: boolean;
  /** One trailing slash is ignored (`/image/`); default false. */
  trailingSlash?: boolean;
}

/** Routes whose paths match the same requests (they may name their parameters differently). */
interface PathEntry<R> {
  pattern: RegExp;
  routes: Array<{ route: R; names: string[] }>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compile(path: string, emptyParams: boolean): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const segments = path.split("/").map((segment) => {
    const wholeParam = /^\{\w+\}$/.test(segment);
    return segment
      .split(/(\{\w+\})/)
      .map((piece) => {
        if (!/^\{\w+\}$/.test(piece)) return escapeRegExp(piece);
        names.push(piece.slice(1, -1));
        return wholeParam && emptyParams ? "([^/]*)" : "([^/]+)";
      })
      .join("");
  });
  return { pattern: new RegExp(`^${segments.join("/")}$`), names };
}

export class RouteTable<R extends Route> {
  private readonly entries: Array<PathEntry<R>> = [];

  constructor(
    readonly routes: readonly R[],
    private readonly options: RouteTableOptions = {},
  ) {
    for (const route of routes) {
      const { pattern, names } = compile(route.path, options.emptyParams ?? false);
      const entry = this.entries.find((e) => e.pattern.source === pattern.source);
      if (entry) entry.routes.push({ route, names });
      else this.entries.push({ pattern, routes: [{ route, names }] });
    }
  }

  /** `<METHOD> <path template>` of every route, in table order. */
  templates(): string[] {
    return this.routes.map((r) => `${r.method} ${r.path}`);
  }

  /** The first path template the request's path matches, or undefined. */
  match(method: string, rawPath: string): PathMatch<R> | undefined {
    const path = this.options.trailingSlash && rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
    for (const entry of this.entries) {
      const found = entry.pattern.exec(path);
      if (!found) continue;
      const chosen = entry.routes.find((r) => r.route.method === method);
      const { route, names } = chosen ?? entry.routes[0];
      return {
        path: route.path,
        params: Object.fromEntries(names.map((name, i) => [name, found[i + 1]])),
        route: chosen?.route,
        allow: entry.routes.map((r) => r.route.method),
      };
    }
    return undefined;
  }
}

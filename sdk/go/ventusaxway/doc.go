// Ventus Cloud projects and prices; Axway API Manager portal organizations, API access and registration codes.
package ventusaxway

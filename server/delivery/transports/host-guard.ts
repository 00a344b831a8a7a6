import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { AppError } from "../../errors.js";

export interface ResolvedHost {
  /** The address to connect to: the one that was checked, so DNS cannot change in between. */
  address: string;
  /** The name the server's certificate must carry, or null when the admin gave an address. */
  servername: string | null;
}

/**
 * Resolves an SMTP host that an admin typed and refuses addresses inside the platform's own
 * network (loopback, private ranges, link-local with its cloud metadata service, and the like),
 * so that the test mail cannot be used to probe or reach internal services.
 */
export async function resolveSmtpHost(host: string, allowPrivate: boolean): Promise<ResolvedHost> {
  const servername = isIP(host) ? null : host;
  const addresses = isIP(host) ? [host] : await lookupAll(host);

  if (!allowPrivate) {
    const internal = addresses.find((address) => !isPublicUnicast(address));
    if (internal !== undefined) {
      throw new AppError(
        "host_not_allowed",
        422,
        `${host} is an internal address (${internal}); use your mail provider's public SMTP server`,
        { field: "host" },
      );
    }
  }
  return { address: addresses[0]!, servername };
}

async function lookupAll(host: string): Promise<string[]> {
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    if (found.length > 0) return found.map((entry) => entry.address);
  } catch (cause) {
    throw new AppError(
      "smtp_connection_failed",
      422,
      `the server name ${host} could not be found; check the spelling of the SMTP server`,
      { field: "host", cause },
    );
  }
  throw new AppError("smtp_connection_failed", 422, `the server name ${host} has no address`, {
    field: "host",
  });
}

export function isPublicUnicast(address: string): boolean {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === "unicast";
}

/**
 * extra_hosts: ["host:ip", "host=ip"] or {host: ip | [ips]}, as host -> addresses.
 * Brackets around IPv6 addresses are dropped, as compose-go does.
 */
import { describeKind, isMapping, parsed, ValueProblem } from "./primitives.ts";

export const extraHostsSchema = parsed((value): Record<string, string[]> => {
  const hosts: Record<string, string[]> = {};
  const add = (host: string, addresses: string[], at: (string | number)[]) => {
    if (host === "" || /[:=]/.test(host)) throw new ValueProblem(`invalid host name "${host}"`, at);
    const cleaned = addresses.map((address) => (address.length > 2 && address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address));
    hosts[host] = [...(hosts[host] ?? []), ...cleaned];
  };
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== "string") throw new ValueProblem(`expected "host:address", got ${describeKind(item)}`, [index]);
      const separator = item.includes("=") ? "=" : ":";
      const at = item.indexOf(separator);
      if (at === -1) throw new ValueProblem(`invalid extra host "${item}": missing address (write "host:address")`, [index]);
      add(item.slice(0, at), item.slice(at + 1).split(","), [index]);
    });
    return hosts;
  }
  if (isMapping(value)) {
    for (const [host, addresses] of Object.entries(value)) {
      if (addresses === null) add(host, [""], [host]);
      else if (typeof addresses === "string") add(host, [addresses], [host]);
      else if (Array.isArray(addresses) && addresses.every((a) => typeof a === "string")) add(host, addresses as string[], [host]);
      else throw new ValueProblem(`expected an address or a list of addresses, got ${describeKind(addresses)}`, [host]);
    }
    return hosts;
  }
  throw new ValueProblem(`expected a list of "host:address" or a mapping of host to address, got ${describeKind(value)}`);
});

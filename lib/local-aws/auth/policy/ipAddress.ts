import { isIP } from "node:net";

interface ParsedAddress {
  readonly value: bigint;
  readonly bits: 32 | 128;
}

/** Whether `address` lies in `cidr` ("203.0.113.0/24", "2001:db8::/32"; a bare address means /32 or /128). */
export function ipInCidr(address: string, cidr: string): boolean {
  const [network, prefixText, ...rest] = cidr.trim().split("/");
  const ip = parseAddress(address.trim());
  const net = parseAddress(network ?? "");
  if (!ip || !net || rest.length > 0 || ip.bits !== net.bits) return false;
  const prefix = prefixText === undefined ? net.bits : parsePrefix(prefixText, net.bits);
  if (prefix === undefined) return false;
  const hostBits = BigInt(net.bits - prefix);
  return ip.value >> hostBits === net.value >> hostBits;
}

function parsePrefix(text: string, maxBits: number): number | undefined {
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const prefix = Number(text);
  return prefix <= maxBits ? prefix : undefined;
}

function parseAddress(text: string): ParsedAddress | undefined {
  const family = isIP(text);
  if (family === 4) return { value: ipv4Value(text), bits: 32 };
  if (family === 6) return { value: ipv6Value(text), bits: 128 };
  return undefined;
}

function ipv4Value(text: string): bigint {
  return text.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Value(text: string): bigint {
  const embeddedIpv4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const hextets = embeddedIpv4 ? text.slice(0, embeddedIpv4.index) + ipv4AsHextets(embeddedIpv4[1]!) : text;
  const [head = "", tail] = hextets.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  return [...headGroups, ...zeros, ...tailGroups].reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function ipv4AsHextets(ipv4: string): string {
  const value = Number(ipv4Value(ipv4));
  return `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
}

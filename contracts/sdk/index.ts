// ThingLedger contract SDK for AssemblyScript: the host interface thingledger_v1 (docs/CONTRACTS.md),
// wrapped so that a contract reads its arguments, keeps state, pays and emits in a few lines.
// Build a contract with `thingledger contract build FOLDER` (npx asc … --runtime stub --use abort=…).

@external("thingledger_v1", "input_size") declare function input_size(): i32;
@external("thingledger_v1", "input_read") declare function input_read(ptr: usize): void;
@external("thingledger_v1", "output_write") declare function output_write(ptr: usize, len: i32): void;
@external("thingledger_v1", "register_size") declare function register_size(): i32;
@external("thingledger_v1", "register_read") declare function register_read(ptr: usize): void;
@external("thingledger_v1", "storage_read") declare function storage_read(key: usize, keyLen: i32): i32;
@external("thingledger_v1", "storage_write") declare function storage_write(key: usize, keyLen: i32, value: usize, valueLen: i32): void;
@external("thingledger_v1", "storage_remove") declare function storage_remove(key: usize, keyLen: i32): i32;
@external("thingledger_v1", "storage_next") declare function storage_next(prefix: usize, prefixLen: i32, cursor: i64): i64;
@external("thingledger_v1", "signer") declare function host_signer(ptr: usize): void;
@external("thingledger_v1", "caller") declare function host_caller(ptr: usize): void;
@external("thingledger_v1", "self_address") declare function host_self(ptr: usize): void;
@external("thingledger_v1", "block_height") declare function block_height(): i64;
@external("thingledger_v1", "block_time") declare function block_time(): i64;
@external("thingledger_v1", "deposit") declare function host_deposit(amountPtr: usize): i32;
@external("thingledger_v1", "balance") declare function host_balance(sym: usize, symLen: i32, holder: usize, out: usize): i32;
@external("thingledger_v1", "transfer") declare function host_transfer(sym: usize, symLen: i32, to: usize, amount: usize): i32;
@external("thingledger_v1", "emit") declare function host_emit(name: usize, nameLen: i32, data: usize, dataLen: i32): void;
@external("thingledger_v1", "device") declare function host_device(id: usize): i32;
@external("thingledger_v1", "telemetry_day") declare function host_telemetry_day(id: usize, schema: usize, schemaLen: i32, day: i32): i32;
@external("thingledger_v1", "call") declare function host_call(c: usize, cl: i32, m: usize, ml: i32, a: usize, al: i32): i32;
@external("thingledger_v1", "revert") declare function host_revert(code: usize, codeLen: i32, msg: usize, msgLen: i32): void;

function utf8(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

function register(length: i32): Uint8Array {
  const bytes = new Uint8Array(length);
  register_read(bytes.dataStart);
  return bytes;
}

/** Ends the call: the tx fails with CONTRACTS_REVERTED and its receipt carries code and message. Nothing the call did remains. */
export function revert(code: string, message: string): void {
  const c = utf8(code);
  const m = utf8(message);
  host_revert(c.dataStart, c.length, m.dataStart, m.length);
  unreachable();
}

/** Reverts with `code` unless `condition` holds. */
export function require(condition: bool, code: string, message: string): void {
  if (!condition) revert(code, message);
}

/** AssemblyScript's abort (a failed assert, an out-of-range index) as a revert with code ABORT. Build with --use abort=…/sdk/index/abort. */
export function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  revert("ABORT", (message !== null ? message : "abort") + (file !== null ? " at " + file + ":" + line.toString() : ""));
}

/** A 20-byte account or device address. */
export class Address {
  constructor(public bytes: Uint8Array) {}

  static zero(): Address { return new Address(new Uint8Array(20)); }

  equals(other: Address): bool {
    for (let i = 0; i < 20; i++) if (this.bytes[i] != other.bytes[i]) return false;
    return true;
  }

  /** Lowercase hex of the 20 bytes: usable inside storage keys. */
  hex(): string {
    let s = "";
    for (let i = 0; i < 20; i++) {
      const b = this.bytes[i];
      s += (b < 16 ? "0" : "") + b.toString(16);
    }
    return s;
  }
}

/** Reads values in the canonical encoding: big-endian integers, LEB128-length-prefixed strings and bytes, 20-byte addresses. */
export class Reader {
  private at: i32 = 0;
  constructor(private data: Uint8Array) {}

  private take(n: i32): i32 {
    if (this.at + n > this.data.length) revert("ARGS", "fewer bytes than the values need");
    const start = this.at;
    this.at += n;
    return start;
  }

  u8(): u8 { return this.data[this.take(1)]; }
  bool(): bool { const b = this.u8(); if (b > 1) revert("ARGS", "a bool is 0 or 1"); return b == 1; }
  u32(): u32 { const s = this.take(4); let v: u32 = 0; for (let i = 0; i < 4; i++) v = (v << 8) | this.data[s + i]; return v; }
  u64(): u64 { const s = this.take(8); let v: u64 = 0; for (let i = 0; i < 8; i++) v = (v << 8) | <u64>this.data[s + i]; return v; }
  i64(): i64 { return <i64>this.u64(); }
  /** A u128 amount; this SDK keeps amounts as u64 and reverts on one that does not fit. */
  amount(): u64 { const high = this.u64(); if (high != 0) revert("AMOUNT", "amounts above 2^64-1 are not supported by this SDK"); return this.u64(); }
  address(): Address { const s = this.take(20); return new Address(this.data.slice(s, s + 20)); }
  private length(): i32 {
    let v: u64 = 0;
    for (let shift: u64 = 0; shift < 35; shift += 7) {
      const b = this.u8();
      v |= (<u64>(b & 0x7f)) << shift;
      if ((b & 0x80) == 0) return <i32>v;
    }
    revert("ARGS", "a length is too long");
    return 0;
  }
  bytes(): Uint8Array { const n = this.length(); const s = this.take(n); return this.data.slice(s, s + n); }
  string(): string { const b = this.bytes(); return String.UTF8.decode(b.buffer); }
  /** Reverts unless every byte was read: arguments carry nothing extra. */
  end(): void { if (this.at != this.data.length) revert("ARGS", "more bytes than the values need"); }
}

/** Writes values in the canonical encoding (see Reader). */
export class Writer {
  private parts: Array<u8> = new Array<u8>();

  u8(v: u8): Writer { this.parts.push(v); return this; }
  bool(v: bool): Writer { return this.u8(v ? 1 : 0); }
  u32(v: u32): Writer { for (let i = 3; i >= 0; i--) this.parts.push(<u8>(v >> (<u32>i * 8))); return this; }
  u64(v: u64): Writer { for (let i = 7; i >= 0; i--) this.parts.push(<u8>(v >> (<u64>i * 8))); return this; }
  i64(v: i64): Writer { return this.u64(<u64>v); }
  amount(v: u64): Writer { return this.u64(0).u64(v); }
  address(a: Address): Writer { for (let i = 0; i < 20; i++) this.parts.push(a.bytes[i]); return this; }
  bytes(b: Uint8Array): Writer {
    let n = <u32>b.length;
    do { let byte = <u8>(n & 0x7f); n >>= 7; if (n != 0) byte |= 0x80; this.parts.push(byte); } while (n != 0);
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]);
    return this;
  }
  string(s: string): Writer { return this.bytes(utf8(s)); }

  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.length);
    for (let i = 0; i < this.parts.length; i++) out[i] = this.parts[i];
    return out;
  }
}

/** The call's arguments. */
export function args(): Reader {
  const bytes = new Uint8Array(input_size());
  input_read(bytes.dataStart);
  return new Reader(bytes);
}

/** Sets the call's results (as its metadata declares them). */
export function result(w: Writer): void {
  const bytes = w.finish();
  output_write(bytes.dataStart, bytes.length);
}

/** The contract's own key-value state: keys are the contract's own; no key can reach another's. */
export namespace storage {
  export function get(key: string): Uint8Array | null {
    const k = utf8(key);
    const n = storage_read(k.dataStart, k.length);
    return n < 0 ? null : register(n);
  }
  export function set(key: string, value: Uint8Array): void {
    const k = utf8(key);
    storage_write(k.dataStart, k.length, value.dataStart, value.length);
  }
  export function remove(key: string): bool {
    const k = utf8(key);
    return storage_remove(k.dataStart, k.length) == 1;
  }
  export function has(key: string): bool { return get(key) !== null; }
  export function getU64(key: string, otherwise: u64 = 0): u64 {
    const v = get(key);
    return v === null ? otherwise : new Reader(v).u64();
  }
  export function setU64(key: string, value: u64): void { set(key, new Writer().u64(value).finish()); }
  export function getString(key: string): string | null {
    const v = get(key);
    return v === null ? null : String.UTF8.decode(v.buffer);
  }
  export function setString(key: string, value: string): void { set(key, utf8(value)); }
  /** The keys starting with `prefix`, in the order they were first written (each key visited costs gas). */
  export function keys(prefix: string, max: i32 = 1000): string[] {
    const p = utf8(prefix);
    const out = new Array<string>();
    let cursor: i64 = 0;
    while (out.length < max) {
      cursor = storage_next(p.dataStart, p.length, cursor);
      if (cursor == 0) break;
      out.push(String.UTF8.decode(register(register_size()).buffer));
    }
    return out;
  }
}

function address(read: (ptr: usize) => void): Address {
  const bytes = new Uint8Array(20);
  read(bytes.dataStart);
  return new Address(bytes);
}

/** Who signed the tx (a query's requested signer, or zero). */
export function signer(): Address { return address(host_signer); }
/** Who called: the signer for the tx's own call, the calling contract for a call a contract makes. */
export function caller(): Address { return address(host_caller); }
/** This contract's account: it holds tokens paid to it. */
export function self(): Address { return address(host_self); }
/** The block's height and time (ms since the Unix epoch), from ordering: the same on every peer. */
export function height(): u64 { return <u64>block_height(); }
export function time(): u64 { return <u64>block_time(); }

export class Deposit {
  constructor(public token: string, public amount: u64) {}
}

/** What the tx paid into the contract with this call (token "" and 0 when nothing). */
export function deposit(): Deposit {
  const amount = new Uint8Array(16);
  const n = host_deposit(amount.dataStart);
  const symbol = n == 0 ? "" : String.UTF8.decode(register(n).buffer);
  return new Deposit(symbol, new Reader(amount).amount());
}

/** A holder's balance of a token (reverts when the token does not exist). */
export function balance(token: string, holder: Address): u64 {
  const t = utf8(token);
  const out = new Uint8Array(16);
  if (host_balance(t.dataStart, t.length, holder.bytes.dataStart, out.dataStart) != 0) revert("TOKEN", "no token " + token);
  return new Reader(out).amount();
}

/** Pays out of the contract's own account: 0 paid, 1 the contract's balance is short, 2 no such token, 3 zero amount. */
export function transfer(token: string, to: Address, amount: u64): i32 {
  const t = utf8(token);
  const a = new Writer().amount(amount).finish();
  return host_transfer(t.dataStart, t.length, to.bytes.dataStart, a.dataStart);
}

/** Emits an event declared in contract.json, with its fields written in order. */
export function emit(name: string, fields: Writer): void {
  const n = utf8(name);
  const d = fields.finish();
  host_emit(n.dataStart, n.length, d.dataStart, d.length);
}

export class Device {
  constructor(public revoked: bool, public owner: Address, public org: string, public model: string, public registeredAt: u64) {}
}

/** A registered device, read-only, or null. */
export function device(id: Address): Device | null {
  const n = host_device(id.bytes.dataStart);
  if (n < 0) return null;
  const r = new Reader(register(n));
  return new Device(r.u8() == 1, r.address(), r.string(), r.string(), r.u64());
}

export class DayTotals {
  constructor(public count: u64, public flagged: u64, public sums: i64[]) {}
}

/** A device's anchored readings on `day` (days since 1970-01-01) under schema "id@version": count, flagged, and each additive field's sum over unflagged readings. */
export function telemetryDay(id: Address, schema: string, day: i32): DayTotals | null {
  const s = utf8(schema);
  const n = host_telemetry_day(id.bytes.dataStart, s.dataStart, s.length, day);
  if (n < 0) return null;
  const r = new Reader(register(n));
  const count = r.u64();
  const flagged = r.u64();
  const fields = r.u32();
  const sums = new Array<i64>();
  for (let i: u32 = 0; i < fields; i++) sums.push(r.i64());
  return new DayTotals(count, flagged, sums);
}

/** Calls another contract's method; a failure there fails this whole tx. Returns its results to read. */
export function call(contract: string, method: string, arguments_: Writer): Reader {
  const c = utf8(contract);
  const m = utf8(method);
  const a = arguments_.finish();
  const n = host_call(c.dataStart, c.length, m.dataStart, m.length, a.dataStart, a.length);
  return new Reader(register(n));
}

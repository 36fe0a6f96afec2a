using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>Contracts written in WebAssembly text for the tests: small enough to read, and each does one thing the tests need.</summary>
internal static class TestContracts
{
    private const string Imports = """
        (import "thingledger_v1" "input_size" (func $input_size (result i32)))
        (import "thingledger_v1" "input_read" (func $input_read (param i32)))
        (import "thingledger_v1" "output_write" (func $output_write (param i32 i32)))
        (import "thingledger_v1" "register_read" (func $register_read (param i32)))
        (import "thingledger_v1" "storage_read" (func $storage_read (param i32 i32) (result i32)))
        (import "thingledger_v1" "storage_write" (func $storage_write (param i32 i32 i32 i32)))
        (import "thingledger_v1" "storage_next" (func $storage_next (param i32 i32 i64) (result i64)))
        (import "thingledger_v1" "emit" (func $emit (param i32 i32 i32 i32)))
        (import "thingledger_v1" "transfer" (func $transfer (param i32 i32 i32 i32) (result i32)))
        (import "thingledger_v1" "call" (func $call (param i32 i32 i32 i32 i32 i32) (result i32)))
        (import "thingledger_v1" "revert" (func $revert (param i32 i32 i32 i32)))
        (import "thingledger_v1" "block_height" (func $block_height (result i64)))
        """;

    /// <summary>
    /// A counter: add(by u64) → total u64 (emits "added"), get() → total, and methods that misbehave
    /// on purpose. Memory map: 0 "count", 16 "added", 32 "tokens/balance/PAY", 64 input, 96 scratch,
    /// 128 "counter", 144 "add", 160 "NEGATIVE", 176 "by must be positive", 200 "PAY".
    /// </summary>
    public const string Counter = $$"""
        (module
          {{Imports}}
          (memory (export "memory") 1)
          (data (i32.const 0) "count")
          (data (i32.const 16) "added")
          (data (i32.const 32) "tokens/balance/PAY")
          (data (i32.const 128) "counter")
          (data (i32.const 144) "add")
          (data (i32.const 160) "NEGATIVE")
          (data (i32.const 176) "by must be positive")
          (data (i32.const 200) "PAY")
          (func $bswap (param $x i64) (result i64) (local $r i64) (local $i i32)
            (loop $l
              (local.set $r (i64.or (i64.shl (local.get $r) (i64.const 8)) (i64.and (local.get $x) (i64.const 255))))
              (local.set $x (i64.shr_u (local.get $x) (i64.const 8)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
            (local.get $r))
          (func $total (result i64)
            (if (result i64) (i32.ge_s (call $storage_read (i32.const 0) (i32.const 5)) (i32.const 0))
              (then (call $register_read (i32.const 96)) (call $bswap (i64.load (i32.const 96))))
              (else (i64.const 0))))
          (func (export "add") (local $by i64) (local $t i64)
            (call $input_read (i32.const 64))
            (local.set $by (call $bswap (i64.load (i32.const 64))))
            (if (i64.eqz (local.get $by)) (then (call $revert (i32.const 160) (i32.const 8) (i32.const 176) (i32.const 19))))
            (local.set $t (i64.add (call $total) (local.get $by)))
            (i64.store (i32.const 96) (call $bswap (local.get $t)))
            (call $storage_write (i32.const 0) (i32.const 5) (i32.const 96) (i32.const 8))
            ;; event "added": by u64, total u64 (input at 64 is by, big-endian; total follows at 72)
            (i64.store (i32.const 72) (call $bswap (local.get $t)))
            (call $emit (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 16))
            (call $output_write (i32.const 96) (i32.const 8)))
          (func (export "get")
            (i64.store (i32.const 96) (call $bswap (call $total)))
            (call $output_write (i32.const 96) (i32.const 8)))
          (func (export "spin") (loop $l (br $l)))
          (func $deep (export "deep") (call $deep))
          (func (export "bomb") (if (i32.eq (memory.grow (i32.const 300)) (i32.const -1)) (then unreachable)))
          (func (export "grow") (drop (memory.grow (i32.const 16))))
          (func (export "escape") (call $storage_write (i32.const 32) (i32.const 18) (i32.const 0) (i32.const 5)))
          (func (export "again")
            (drop (call $call (i32.const 128) (i32.const 7) (i32.const 144) (i32.const 3) (i32.const 64) (i32.const 8))))
          (func (export "pay") (local $r i32)
            ;; input: to address (20 bytes) then amount u128 (16 bytes)
            (call $input_read (i32.const 64))
            (local.set $r (call $transfer (i32.const 200) (i32.const 3) (i32.const 64) (i32.const 84)))
            (i64.store (i32.const 96) (call $bswap (i64.extend_i32_u (local.get $r))))
            (call $output_write (i32.const 96) (i32.const 8)))
          (func (export "keys") (local $n i64) (local $c i64)
            (loop $l
              (local.set $c (call $storage_next (i32.const 0) (i32.const 0) (local.get $c)))
              (if (i64.ne (local.get $c) (i64.const 0)) (then (local.set $n (i64.add (local.get $n) (i64.const 1))) (br $l))))
            (i64.store (i32.const 96) (call $bswap (local.get $n)))
            (call $output_write (i32.const 96) (i32.const 8)))
          (func (export "noise") (call $emit (i32.const 0) (i32.const 5) (i32.const 64) (i32.const 16)))
          (func (export "flood") (local $i i32)
            (loop $l
              (call $emit (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 16))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 100)))))
        )
        """;

    private static ContractParam P(string name, ContractType type) => new(name, type);

    public static ContractMetadata CounterMetadata { get; } = new("A counter for tests",
    [
        new("add", false, [P("by", ContractType.U64)], [P("total", ContractType.U64)]),
        new("get", true, [], [P("total", ContractType.U64)]),
        new("spin", false, [], []),
        new("deep", false, [], []),
        new("bomb", false, [], []),
        new("grow", true, [], []),
        new("escape", false, [], []),
        new("again", false, [], []),
        new("pay", false, [P("to", ContractType.Address), P("amount", ContractType.U128)], [P("status", ContractType.U64)]),
        new("keys", true, [], [P("count", ContractType.U64)]),
        new("noise", false, [], []),
        new("flood", false, [], []),
    ],
    [new("added", [P("by", ContractType.U64), P("total", ContractType.U64)])]);

    public static byte[] Wasm(string wat) => Wasmtime.Module.ConvertText(wat);

    public static DeployPayload Deploy(string name = "counter", string version = "1.0.0", string wat = Counter, ContractMetadata? metadata = null, CallPolicy policy = CallPolicy.Anyone, string[]? orgs = null) =>
        new(name, version, Wasm(wat), metadata ?? CounterMetadata, [], policy, orgs ?? []);

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    public static ulong ReadU64(byte[] bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);

    public static LedgerEvent? Event(Receipt receipt, string name) => receipt.Events.FirstOrDefault(e => e.Module == ContractsNames.ModuleName && e.Name == name);
}

using System.Buffers.Binary;
using System.Text;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;
using Wasmtime;

namespace ThingLedger.Execution.Modules.Contracts.Wasm;

/// <summary>
/// The host interface, ABI version 1 (docs/CONTRACTS.md "Host interface"): the only functions a
/// contract can import, all in module <see cref="ContractAbi.HostModule"/>. Storage functions take
/// keys relative to the calling contract and the host adds the contract's own prefix, so no
/// sequence of calls can name another contract's or module's key. Every function charges gas; a
/// bad pointer or an over-limit key or value ends the call with CONTRACT_HOST_CALL_INVALID.
/// </summary>
internal static class ContractHost
{
    public const int MaxKeyBytes = 128;
    public const int MaxStoredValueBytes = 16 * 1024;
    public const int MaxOutputBytes = 16 * 1024;
    public const int MaxRevertCodeBytes = 48;
    public const int MaxRevertMessageBytes = 512;

    /// <summary>What any host call costs, before the bytes it copies (1 gas each) and the state it touches.</summary>
    public const ulong HostCallGas = Gas.Step;

    private static readonly ValueKind I32 = ValueKind.Int32;
    private static readonly ValueKind I64 = ValueKind.Int64;

    /// <summary>Every host function with its parameter and result kinds: what <see cref="ContractEngine.Check"/> admits as an import.</summary>
    private static readonly Dictionary<string, (ValueKind[] Params, ValueKind[] Results)> Signatures = new(StringComparer.Ordinal)
    {
        ["input_size"] = ([], [I32]),
        ["input_read"] = ([I32], []),
        ["output_write"] = ([I32, I32], []),
        ["register_size"] = ([], [I32]),
        ["register_read"] = ([I32], []),
        ["storage_read"] = ([I32, I32], [I32]),
        ["storage_write"] = ([I32, I32, I32, I32], []),
        ["storage_remove"] = ([I32, I32], [I32]),
        ["storage_next"] = ([I32, I32, I64], [I64]),
        ["signer"] = ([I32], []),
        ["caller"] = ([I32], []),
        ["self_address"] = ([I32], []),
        ["block_height"] = ([], [I64]),
        ["block_time"] = ([], [I64]),
        ["deposit"] = ([I32], [I32]),
        ["balance"] = ([I32, I32, I32, I32], [I32]),
        ["transfer"] = ([I32, I32, I32, I32], [I32]),
        ["emit"] = ([I32, I32, I32, I32], []),
        ["device"] = ([I32], [I32]),
        ["telemetry_day"] = ([I32, I32, I32, I32], [I32]),
        ["call"] = ([I32, I32, I32, I32, I32, I32], [I32]),
        ["revert"] = ([I32, I32, I32, I32], []),
    };

    public static IReadOnlyCollection<string> Functions => Signatures.Keys;

    public static bool Offers(string module, string name, IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results) =>
        module == ContractAbi.HostModule && Signatures.TryGetValue(name, out var s) && s.Params.SequenceEqual(parameters) && s.Results.SequenceEqual(results);

    public static Linker Link(Engine engine)
    {
        var linker = new Linker(engine);
        const string m = ContractAbi.HostModule;
        linker.DefineFunction(m, "input_size", (Caller c) => Host(c, 0, f => f.Input.Length));
        linker.DefineFunction(m, "input_read", (Caller c, int ptr) => Host(c, 0, f => Copy(f, f.Input, ptr)));
        linker.DefineFunction(m, "output_write", (Caller c, int ptr, int len) => Host(c, (ulong)Math.Max(len, 0), f => SetOutput(f, Read(f, ptr, len, MaxOutputBytes))));
        linker.DefineFunction(m, "register_size", (Caller c) => Host(c, 0, f => f.Register.Length));
        linker.DefineFunction(m, "register_read", (Caller c, int ptr) => Host(c, 0, f => Copy(f, f.Register, ptr)));
        linker.DefineFunction(m, "storage_read", (Caller c, int k, int kl) => Host(c, 0, f => StorageRead(f, Read(f, k, kl, MaxKeyBytes))));
        linker.DefineFunction(m, "storage_write", (Caller c, int k, int kl, int v, int vl) => Host(c, 0, f => StorageWrite(f, Read(f, k, kl, MaxKeyBytes), Read(f, v, vl, MaxStoredValueBytes))));
        linker.DefineFunction(m, "storage_remove", (Caller c, int k, int kl) => Host(c, 0, f => StorageRemove(f, Read(f, k, kl, MaxKeyBytes))));
        linker.DefineFunction(m, "storage_next", (Caller c, int p, int pl, long cursor) => Host(c, 0, f => StorageNext(f, Read(f, p, pl, MaxKeyBytes), cursor)));
        linker.DefineFunction(m, "signer", (Caller c, int ptr) => Host(c, 0, f => WriteAddress(f, ptr, f.Run.Signer)));
        linker.DefineFunction(m, "caller", (Caller c, int ptr) => Host(c, 0, f => WriteAddress(f, ptr, f.Caller)));
        linker.DefineFunction(m, "self_address", (Caller c, int ptr) => Host(c, 0, f => WriteAddress(f, ptr, f.Contract.Address)));
        linker.DefineFunction(m, "block_height", (Caller c) => Host(c, 0, f => (long)f.Run.Height));
        linker.DefineFunction(m, "block_time", (Caller c) => Host(c, 0, f => (long)f.Run.Time));
        linker.DefineFunction(m, "deposit", (Caller c, int ptr) => Host(c, 0, f => Deposit(f, ptr)));
        linker.DefineFunction(m, "balance", (Caller c, int s, int sl, int a, int o) => Host(c, 0, f => Balance(f, Symbol(f, s, sl), ReadAddress(f, a), o)));
        linker.DefineFunction(m, "transfer", (Caller c, int s, int sl, int to, int amt) => Host(c, 0, f => Transfer(f, Symbol(f, s, sl), ReadAddress(f, to), amt)));
        linker.DefineFunction(m, "emit", (Caller c, int n, int nl, int d, int dl) => Host(c, 0, f => Emit(f, Text(f, n, nl, 32), Read(f, d, dl, MaxOutputBytes))));
        linker.DefineFunction(m, "device", (Caller c, int a) => Host(c, 0, f => Device(f, ReadAddress(f, a))));
        linker.DefineFunction(m, "telemetry_day", (Caller c, int a, int s, int sl, int day) => Host(c, 0, f => TelemetryDay(f, ReadAddress(f, a), Text(f, s, sl, 64), day)));
        linker.DefineFunction(m, "call", (Caller c, int n, int nl, int me, int ml, int a, int al) =>
            Host(c, 0, f => Call(f, Text(f, n, nl, 32), Text(f, me, ml, 32), Read(f, a, al, Transaction.MaxPayloadBytes))));
        linker.DefineFunction(m, "revert", (Caller c, int code, int cl, int msg, int ml) => Host(c, 0, f => Revert(f, Text(f, code, cl, MaxRevertCodeBytes), Text(f, msg, ml, MaxRevertMessageBytes))));
        return linker;
    }

    private static void SetOutput(ContractFrame f, byte[] output) => f.Output = output;

    private static ContractFrame Frame(Caller caller) => (ContractFrame)caller.GetData()!;

    private static T Host<T>(Caller caller, ulong bytes, Func<ContractFrame, T> body)
    {
        var frame = Frame(caller);
        frame.Enter(caller, HostCallGas + bytes);
        var result = body(frame);
        frame.Leave(caller);
        return result;
    }

    private static void Host(Caller caller, ulong bytes, Action<ContractFrame> body) =>
        Host(caller, bytes, f =>
        {
            body(f);
            return 0;
        });

    private static ContractAbort Invalid() => new(ContractsErrors.HostCallInvalid);

    private static byte[] Read(ContractFrame f, int ptr, int len, int max)
    {
        if (len > max)
        {
            throw Invalid();
        }
        return f.Bytes(ptr, len).ToArray();
    }

    private static void Copy(ContractFrame f, byte[] source, int ptr)
    {
        f.Run.Gas.Charge((ulong)source.Length);
        source.CopyTo(f.Bytes(ptr, source.Length));
    }

    private static string Text(ContractFrame f, int ptr, int len, int max)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Read(f, ptr, len, max));
        }
        catch (DecoderFallbackException)
        {
            throw Invalid();
        }
    }

    private static string Symbol(ContractFrame f, int ptr, int len) => Text(f, ptr, len, 16);

    private static Address ReadAddress(ContractFrame f, int ptr) => new(f.Bytes(ptr, Address.Size));

    private static void WriteAddress(ContractFrame f, int ptr, Address address) => address.CopyTo(f.Bytes(ptr, Address.Size));

    private static void WriteU128(ContractFrame f, int ptr, UInt128 value) => BinaryPrimitives.WriteUInt128BigEndian(f.Bytes(ptr, 16), value);

    private static void Writable(ContractFrame f)
    {
        if (f.Run.ReadOnly)
        {
            throw new ContractAbort(ContractsErrors.ReadOnly);
        }
    }

    /// <summary>The value's length (it is left in the register), or -1 when the key is absent.</summary>
    private static int StorageRead(ContractFrame f, byte[] key)
    {
        if (f.Run.State.Get(ContractsModule.StoreKey(f.Contract.Name, key)) is not { } entry)
        {
            return -1;
        }
        f.Register = entry[8..];
        return f.Register.Length;
    }

    /// <summary>
    /// Stores the value behind an 8-byte slot number: a new key takes the contract's next slot and
    /// the slot records the key, so <see cref="StorageNext"/> walks keys in the order first written.
    /// </summary>
    private static void StorageWrite(ContractFrame f, byte[] key, byte[] value)
    {
        Writable(f);
        var state = f.Run.State;
        var name = f.Contract.Name;
        var storeKey = ContractsModule.StoreKey(name, key);
        ulong slot;
        if (state.Get(storeKey) is { } existing)
        {
            slot = BinaryPrimitives.ReadUInt64BigEndian(existing);
        }
        else
        {
            slot = Counters.Next(state, ContractsModule.SlotCountKey(name));
            state.Set(ContractsModule.SlotKey(name, slot), key);
        }
        var entry = new byte[8 + value.Length];
        BinaryPrimitives.WriteUInt64BigEndian(entry, slot);
        value.CopyTo(entry, 8);
        state.Set(storeKey, entry);
    }

    private static int StorageRemove(ContractFrame f, byte[] key)
    {
        Writable(f);
        var state = f.Run.State;
        var storeKey = ContractsModule.StoreKey(f.Contract.Name, key);
        if (state.Get(storeKey) is not { } existing)
        {
            return 0;
        }
        state.Delete(storeKey);
        state.Delete(ContractsModule.SlotKey(f.Contract.Name, BinaryPrimitives.ReadUInt64BigEndian(existing)));
        return 1;
    }

    /// <summary>The next slot after <paramref name="cursor"/> whose key starts with <paramref name="prefix"/> (its key left in the register), or 0 when none is left; each slot visited costs a step.</summary>
    private static long StorageNext(ContractFrame f, byte[] prefix, long cursor)
    {
        if (cursor < 0)
        {
            throw Invalid();
        }
        var state = f.Run.State;
        var count = Counters.Read(state, ContractsModule.SlotCountKey(f.Contract.Name));
        for (var n = (ulong)cursor + 1; n <= count; n++)
        {
            f.Run.Gas.Steps(1);
            if (state.Get(ContractsModule.SlotKey(f.Contract.Name, n)) is { } key && key.AsSpan().StartsWith(prefix))
            {
                f.Register = key;
                return (long)n;
            }
        }
        return 0;
    }

    /// <summary>What the tx attached to this call: the amount at ptr, the symbol in the register; returns the symbol's length (0: nothing attached, or a call made by a contract).</summary>
    private static int Deposit(ContractFrame f, int ptr)
    {
        var (symbol, amount) = f.Depth == 1 ? f.Run.Deposit : (string.Empty, UInt128.Zero);
        WriteU128(f, ptr, amount);
        f.Register = Encoding.UTF8.GetBytes(symbol);
        return f.Register.Length;
    }

    private static int Balance(ContractFrame f, string symbol, Address holder, int outPtr)
    {
        if (f.Services.Tokens.Find(f.Run.State, symbol) is null)
        {
            return -1;
        }
        WriteU128(f, outPtr, f.Services.Tokens.BalanceOf(f.Run.State, symbol, holder));
        return 0;
    }

    /// <summary>Pays out of the contract's own account: 0 paid, 1 the contract's balance is short, 2 no such token, 3 zero amount.</summary>
    private static int Transfer(ContractFrame f, string symbol, Address to, int amountPtr)
    {
        Writable(f);
        var amount = ContractAbi.U128(f.Bytes(amountPtr, 16));
        var moved = f.Services.Tokens.Move(f.Run.Tx!, symbol, f.Contract.Address, to, amount);
        return moved.ErrorCode switch
        {
            null => 0,
            TokensErrors.InsufficientBalance => 1,
            TokensErrors.TokenNotFound => 2,
            TokensErrors.AmountZero => 3,
            _ => throw new ContractAbort(moved),
        };
    }

    private static void Emit(ContractFrame f, string name, byte[] data)
    {
        Writable(f);
        if (f.Contract.Metadata.Event(name) is not { } spec || !ContractAbi.TryDecode(data, [.. spec.Fields.Select(x => x.Type)], out var values)
            || values.Any(v => Encoding.UTF8.GetByteCount(v) > LedgerEvent.MaxValueBytes))
        {
            throw new ContractAbort(ContractsErrors.EventInvalid);
        }
        CheckEventRoom(f.Run.Tx!);
        EventAttribute[] attributes =
        [
            new("contract", f.Contract.Name), new("address", f.Contract.Address.ToString()), new("event", name),
            .. spec.Fields.Select((field, i) => new EventAttribute(ContractAbi.AttributeOf(field), values[i])),
        ];
        f.Run.Tx!.Emit(ContractsEvents.Emitted, attributes);
    }

    /// <summary>A contract call's receipt holds at most <see cref="ContractAbi.MaxReceiptEvents"/> events: a call that would emit more ends with CONTRACTS_EVENT_INVALID.</summary>
    public static void CheckEventRoom(TxContext tx)
    {
        if (tx.Events.Count >= ContractAbi.MaxReceiptEvents)
        {
            throw new ContractAbort(ContractsErrors.EventInvalid);
        }
    }

    /// <summary>A registered device, read-only: status (0 active, 1 revoked), owner, organisation, model, registration height. -1 when unknown.</summary>
    private static int Device(ContractFrame f, Address id)
    {
        if (f.Services.Devices.Find(f.Run.State, id) is not { } device)
        {
            return -1;
        }
        var bytes = new byte[1 + Address.Size + CanonicalSizes.String(device.Org) + CanonicalSizes.String(device.Model) + 8];
        var writer = new SpanWriter(bytes);
        writer.WriteU8((byte)device.Status);
        writer.WriteAddress(device.Owner);
        writer.WriteString(device.Org);
        writer.WriteString(device.Model);
        writer.WriteU64(device.RegisteredAt);
        f.Register = bytes;
        return bytes.Length;
    }

    /// <summary>A device's anchored day under a schema ("id@version"), day = days since the Unix epoch: count, flagged, then each additive field's clean sum. -1 when nothing is anchored.</summary>
    private static int TelemetryDay(ContractFrame f, Address device, string schemaRef, int day)
    {
        if (day < 0 || f.Services.Telemetry.Day(f.Run.State, device, schemaRef, (uint)day) is not { } totals)
        {
            return -1;
        }
        var bytes = new byte[8 + 8 + 4 + (8 * totals.Sums.Length)];
        var writer = new SpanWriter(bytes);
        writer.WriteU64(totals.Count);
        writer.WriteU64(totals.Flagged);
        writer.WriteU32((uint)totals.Sums.Length);
        for (var i = 0; i < totals.Sums.Length; i++)
        {
            writer.WriteU64((ulong)totals.CleanSum(i));
        }
        f.Register = bytes;
        return bytes.Length;
    }

    private static int Call(ContractFrame f, string contract, string method, byte[] args)
    {
        var (record, spec) = ContractsModule.Target(f.Run, contract, method, args);
        f.Register = ContractFrame.Invoke(f.Run, f.Services, record, spec, f.Contract.Address, args);
        return f.Register.Length;
    }

    private static void Revert(ContractFrame f, string code, string message) =>
        throw new ContractAbort(Outcome.Because(ContractsErrors.Reverted, ContractsEvents.Reverted,
            new("contract", f.Contract.Name), new("address", f.Contract.Address.ToString()), new("method", f.Method.Name), new("code", code), new("message", message)));
}

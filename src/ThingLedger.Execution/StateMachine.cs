using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;

namespace ThingLedger.Execution;

/// <summary>The result of executing one block: a receipt per tx, and the state changes sorted by key.</summary>
public sealed record BlockExecution(Receipt[] Receipts, StateChange[] Changes);

/// <summary>
/// Applies ordered transactions to state. Knows nonces and expiry; everything else is a module's.
/// Signatures are checked before ordering (admission), never here, so each is verified once.
/// </summary>
public sealed class StateMachine
{
    private readonly Dictionary<string, IModule> _modules = new(StringComparer.Ordinal);
    private readonly IModule[] _modulesByName;
    private readonly IMembershipDirectory _members;

    /// <summary>Who is a member of which organisation, as execution sees it (node parts check the same before they accept work for the chain).</summary>
    public IMembershipDirectory Members => _members;

    /// <exception cref="ModuleRegistrationException">Two modules share a name, or a name is not a module name, or their error codes or prefixes clash (<see cref="ModuleErrors.Conflict"/>).</exception>
    public StateMachine(string chainId, IEnumerable<IModule> modules, IMembershipDirectory members)
    {
        ChainId = chainId;
        foreach (var module in modules)
        {
            if (!Identifiers.IsModuleName(module.Name) || module.Name == KernelPrefix)
            {
                throw new ModuleRegistrationException($"module name '{module.Name}' is not 1–32 of a-z, 0-9 and '-' starting with a letter, or is the kernel's ('{KernelPrefix}')");
            }
            if (!_modules.TryAdd(module.Name, module))
            {
                throw new ModuleRegistrationException($"two modules are registered as '{module.Name}' ({_modules[module.Name].GetType().Name} and {module.GetType().Name}): each module owns the keys under its name, so names are unique");
            }
        }
        _modulesByName = [.. _modules.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];
        if (ModuleErrors.Conflict(_modulesByName.Where(m => m.Errors is not null).Select(m => (m.Name, m.Errors!))) is { } conflict)
        {
            throw new ModuleRegistrationException(conflict);
        }
        foreach (var module in _modulesByName)
        {
            if (module.Events.FirstOrDefault(e => e.Module != module.Name) is { } foreign)
            {
                throw new ModuleRegistrationException($"module '{module.Name}' declares the event {foreign}, which is another module's: a module declares only its own events");
            }
        }
        try
        {
            Events = new EventCatalog(_modulesByName.SelectMany(m => m.Events));
        }
        catch (ArgumentException e)
        {
            throw new ModuleRegistrationException(e.Message);
        }
        _members = members;
    }

    /// <summary>Every event type the modules declare; the activity index reads receipts through it.</summary>
    public EventCatalog Events { get; }

    /// <summary>The keys only the kernel writes ("core/nonce/…").</summary>
    public const string KernelPrefix = "core";

    /// <summary>The state machine with every module of <paramref name="catalog"/> (the built-in ones by default).</summary>
    public static StateMachine Create(string chainId, ModuleCatalog? catalog = null)
    {
        catalog ??= ModuleCatalog.Create();
        return new StateMachine(chainId, catalog.All, catalog.Identity);
    }

    public string ChainId { get; }

    public IReadOnlyList<IModule> Modules => _modulesByName;

    /// <summary>The payload of <paramref name="tx"/> field by field, as its operation describes it; null when the tx names no registered operation or its payload does not decode.</summary>
    public IReadOnlyList<PayloadField>? Describe(Transaction tx) =>
        _modules.TryGetValue(tx.Module, out var module) ? module.Operations.Describe(tx.Operation, tx.Payload) : null;

    /// <summary>The registered module of type <typeparamref name="T"/> (its queries serve the node's API and explorer).</summary>
    public T Module<T>() where T : class, IModule =>
        _modulesByName.OfType<T>().SingleOrDefault() ?? throw new InvalidOperationException($"no {typeof(T).Name} is registered");

    /// <summary>
    /// What admission refuses a tx for before ordering, or null: a version-1 tx (no gas limit), a
    /// gas limit below the tx's intrinsic cost or above the block's, an unknown module or operation,
    /// a payload that does not decode for its operation, or a members-only operation from a key
    /// that is no member in <paramref name="committed"/> state at <paramref name="height"/>.
    /// Nothing is written.
    /// </summary>
    public string? Admit(Transaction tx, IStateReader committed, ulong height)
    {
        if (!tx.IsMetered)
        {
            return ErrorCodes.TxVersionRetired;
        }
        if (tx.GasLimit < Gas.Intrinsic(tx.Payload.Length))
        {
            return ErrorCodes.GasLimitTooLow;
        }
        if (tx.GasLimit > Gas.BlockLimit)
        {
            return ErrorCodes.GasLimitAboveBlock;
        }
        if (!_modules.TryGetValue(tx.Module, out var module))
        {
            return ErrorCodes.UnknownModule;
        }
        if (module.Operations.Check(tx.Operation, tx.Payload) is { } refused)
        {
            return refused;
        }
        return module.Operations.AccessOf(tx.Operation) == Access.Members && _members.Find(new StateView(committed), tx.SignerAddress, height) is null
            ? ErrorCodes.Unauthorised
            : null;
    }

    public static string NonceKey(Address address) => $"core/nonce/{address}";

    /// <summary>The last nonce used by <paramref name="address"/> (0 before its first tx).</summary>
    public static ulong LastNonce(IStateReader state, Address address)
    {
        var bytes = state.Get(NonceKey(address));
        return bytes is null ? 0 : System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>The genesis state, written by every module in name order.</summary>
    public StateChange[] Genesis(Genesis genesis, IStateReader empty)
    {
        var view = new StateView(empty);
        foreach (var module in _modulesByName)
        {
            using var owned = view.Own(module.Name);
            module.InitGenesis(genesis, view);
        }
        return view.SortedChanges();
    }

    /// <summary>
    /// Executes <paramref name="txs"/> in order. Together the metered txs of a block use at most
    /// <see cref="Gas.BlockLimit"/>: a tx whose limit no longer fits in what is left fails with
    /// BLOCK_GAS_EXHAUSTED (its nonce consumed, no gas used).
    /// </summary>
    public BlockExecution ExecuteBlock(IStateReader committed, ulong height, ulong timestamp, IReadOnlyList<Transaction> txs)
    {
        var block = new StateView(committed);
        var receipts = new Receipt[txs.Count];
        ulong blockGas = 0;
        for (var i = 0; i < txs.Count; i++)
        {
            receipts[i] = Execute(block, height, timestamp, txs[i], Gas.BlockLimit - blockGas);
            if (txs[i].IsMetered)
            {
                blockGas += receipts[i].GasUsed;
            }
        }
        return new BlockExecution(receipts, block.SortedChanges());
    }

    private Receipt Execute(StateView block, ulong height, ulong timestamp, Transaction tx, ulong blockGasLeft)
    {
        var meter = new GasMeter(tx);
        // Admission refuses a limit below this (GAS_LIMIT_TOO_LOW); the checks below still come first, so an expired or replayed tx says so.
        var coversIntrinsic = meter.TryCharge(Gas.Intrinsic(tx.Payload.Length));
        if (tx.ChainId != ChainId)
        {
            return Failed(tx, ErrorCodes.WrongChain, meter);
        }
        if (height > tx.ExpiryHeight)
        {
            return Failed(tx, ErrorCodes.TxExpired, meter);
        }
        var last = LastNonce(block, tx.SignerAddress);
        if (last == ulong.MaxValue || tx.Nonce != last + 1)
        {
            return Failed(tx, ErrorCodes.NonceMismatch, meter);
        }
        // From here the nonce is consumed, whatever the module says: the tx cannot be replayed.
        var nonce = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, tx.Nonce);
        block.Set(NonceKey(tx.SignerAddress), nonce);

        if (tx.IsMetered && tx.GasLimit > blockGasLeft)
        {
            return new Receipt(tx.Id, TxStatus.Failed, ErrorCodes.BlockGasExhausted, 0, []);
        }
        if (!coversIntrinsic)
        {
            return Failed(tx, ErrorCodes.OutOfGas, meter);
        }
        if (!_modules.TryGetValue(tx.Module, out var module))
        {
            return Failed(tx, ErrorCodes.UnknownModule, meter);
        }
        if (!module.Operations.Contains(tx.Operation))
        {
            return Failed(tx, ErrorCodes.UnknownOperation, meter);
        }
        var view = new StateView(block, meter);
        var context = new TxContext(tx, height, timestamp, view, _members, meter, Events);
        Outcome outcome;
        try
        {
            using var owned = view.Own(module.Name);
            outcome = module.Operations.Execute(context, tx.Operation, tx.Payload);
        }
        catch (OverflowException)
        {
            outcome = ErrorCodes.AmountOverflow;
        }
        catch (StateNotOwnedException)
        {
            outcome = ErrorCodes.StateNotOwned;
        }
        catch (EventNotDeclaredException)
        {
            outcome = ErrorCodes.EventNotDeclared;
        }
        catch (TooManyEventsException)
        {
            outcome = ErrorCodes.TooManyEvents;
        }
        catch (OutOfGasException)
        {
            outcome = ErrorCodes.OutOfGas;
        }
        if (!outcome.Succeeded)
        {
            var why = Why(outcome, meter);
            return new Receipt(tx.Id, TxStatus.Failed, outcome.ErrorCode!, meter.Used, why);
        }
        view.MergeInto(block);
        return new Receipt(tx.Id, TxStatus.Success, string.Empty, meter.Used, [.. context.Events]);
    }

    private static Receipt Failed(Transaction tx, string code, GasMeter meter) => new(tx.Id, TxStatus.Failed, code, meter.Used, []);

    /// <summary>The failure's detail event, charged, when a registered module declares its type and its gas fits in what is left.</summary>
    private LedgerEvent[] Why(Outcome outcome, GasMeter meter)
    {
        if (outcome.Detail is not { } detail || Events.Find(detail.Module, detail.Name) is null)
        {
            return [];
        }
        var cost = Gas.Event + ((ulong)detail.EncodedLength * Gas.PerEventByte);
        if (cost > meter.Limit - meter.Used)
        {
            return [];
        }
        meter.Charge(cost);
        return [detail];
    }
}

/// <summary>A module set the kernel cannot run: refused when the node starts, with what to fix.</summary>
public sealed class ModuleRegistrationException(string message) : InvalidOperationException(message);

/// <summary>Decodes a module payload strictly: any codec error is <see cref="ErrorCodes.PayloadMalformed"/>.</summary>
public static class Payload
{
    public delegate T Reader<out T>(ref SpanReader reader);

    /// <param name="plainText">Refuse strings holding format characters (Cf), as version-2 txs require (<see cref="SpanReader.PlainText"/>).</param>
    public static bool TryDecode<T>(ReadOnlySpan<byte> bytes, Reader<T> read, out T value, bool plainText = false)
    {
        var reader = new SpanReader(bytes) { PlainText = plainText };
        value = read(ref reader);
        return reader.Finish() == CodecError.None;
    }

    /// <summary>The record stored at <paramref name="key"/>, or null when there is none (or it does not decode).</summary>
    public static T? Get<T>(IStateReader state, string key, Reader<T> read) where T : class
    {
        var bytes = state.Get(key);
        return bytes is not null && TryDecode(bytes, read, out var value) ? value : null;
    }
}

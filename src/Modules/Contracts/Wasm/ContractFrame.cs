using System.Globalization;
using System.Runtime.ExceptionServices;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using Wasmtime;

namespace ThingLedger.Execution.Modules.Contracts.Wasm;

/// <summary>The module surfaces a contract reaches through the host interface.</summary>
internal sealed record ContractServices(ContractEngine Engine, ITokenLedger Tokens, IDeviceRegistry Devices, ITelemetryRecords Telemetry);

/// <summary>
/// One call of one contract method: its own store and instance (fresh per call, so no memory
/// survives between calls), its input, output and register, and the fuel it was given. Fuel and
/// gas are one budget: wasm burns fuel, host functions charge the tx's gas meter, and each host
/// call settles the two (<see cref="Enter"/>, <see cref="Leave"/>).
/// </summary>
internal sealed class ContractFrame
{
    /// <summary>What instantiating an instance for a call costs, before any of its code runs.</summary>
    public const ulong CallGas = 2_000;

    /// <summary>The deepest a chain of contract calls may go (the tx's own call is depth 1).</summary>
    public const int MaxDepth = 8;

    private ulong _fuelGiven;

    private ContractFrame(ContractRun run, ContractServices services, ContractRecord contract, ContractMethod method, Address caller, byte[] input, int depth)
    {
        Run = run;
        Services = services;
        Contract = contract;
        Method = method;
        Caller = caller;
        Input = input;
        Depth = depth;
    }

    public ContractRun Run { get; }

    public ContractServices Services { get; }

    public ContractRecord Contract { get; }

    public ContractMethod Method { get; }

    /// <summary>The tx signer for the tx's own call; the calling contract's address for a call a contract makes.</summary>
    public Address Caller { get; }

    public byte[] Input { get; }

    public int Depth { get; }

    public byte[] Output { get; set; } = [];

    /// <summary>What the last host function that returns data left for <c>register_read</c>.</summary>
    public byte[] Register { get; set; } = [];

    public Memory? Memory { get; private set; }

    /// <summary>
    /// Runs <paramref name="method"/> of <paramref name="contract"/> with <paramref name="input"/>
    /// (already decoded against its argument types) and returns its output, decoded against its
    /// result types. Any failure ends the whole run with its outcome (<see cref="ContractAbort"/>):
    /// a contract cannot catch a failed call, so no partial effect survives.
    /// </summary>
    public static byte[] Invoke(ContractRun run, ContractServices services, ContractRecord contract, ContractMethod method, Address caller, byte[] input)
    {
        var depth = run.Stack.Count + 1;
        if (depth > MaxDepth)
        {
            throw new ContractAbort(ContractsErrors.CallDepth);
        }
        if (run.Stack.Contains(contract.Name, StringComparer.Ordinal))
        {
            throw new ContractAbort(ContractsErrors.Reentrant);
        }
        run.Gas.Charge(CallGas);
        var module = services.Engine.Load(contract.Code, () => run.State.Get(ContractsModule.CodeKey(contract.Code))
            ?? throw new InvalidDataException($"contract {contract.Name}'s code {contract.Code} is not in state"));
        var frame = new ContractFrame(run, services, contract, method, caller, input, depth);
        run.Stack.Add(contract.Name);
        try
        {
            var burned = frame.Execute(module);
            if (run.Tx is { } tx)
            {
                ContractHost.CheckEventRoom(tx);
                tx.Emit(ContractsEvents.Called, new("contract", contract.Name), new("address", contract.Address.ToString()), new("method", method.Name),
                    new("caller", caller.ToString()), new("depth", depth.ToString(CultureInfo.InvariantCulture)), new("gas", burned.ToString(CultureInfo.InvariantCulture)));
            }
        }
        finally
        {
            run.Stack.RemoveAt(run.Stack.Count - 1);
        }
        if (!ContractAbi.TryDecode(frame.Output, method.ReturnTypes, out _))
        {
            throw new ContractAbort(ContractsErrors.ResultInvalid);
        }
        return frame.Output;
    }

    /// <summary>Instantiates the module in a fresh store and runs the method; returns the gas the call used (its code, host calls and the calls it made).</summary>
    private ulong Execute(Module module)
    {
        using var store = new Store(Services.Engine.Engine, this);
        store.SetLimits(memorySize: ContractEngine.MaxMemoryBytes, tableElements: ContractEngine.MaxTableElements, instances: 1, tables: 1, memories: 1);
        var start = Run.Gas.Used;
        _fuelGiven = Remaining;
        store.Fuel = _fuelGiven;
        try
        {
            var instance = Services.Engine.Linker.Instantiate(store, module);
            Memory = instance.GetMemory("memory");
            var function = instance.GetFunction(Method.Name) ?? throw new ContractAbort(ContractsErrors.ExportMissing);
            function.Invoke();
            Settle(store.Fuel);
            return Run.Gas.Used - start;
        }
        catch (TrapException trap) when (trap.Type == TrapCode.OutOfFuel)
        {
            Run.Gas.TryCharge(ulong.MaxValue);
            throw new OutOfGasException();
        }
        catch (TrapException trap)
        {
            Settle(store.Fuel);
            throw new ContractAbort(Outcome.Because(ContractsErrors.Trapped, ContractsEvents.Trapped,
                new("contract", Contract.Name), new("address", Contract.Address.ToString()), new("method", Method.Name), new("trap", TrapName(trap.Type))));
        }
        catch (WasmtimeException e) when (e.InnerException is { } inner)
        {
            // A host function threw: rethrow what it threw (an abort, OUT_OF_GAS, an overflow the kernel maps).
            ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
        catch (WasmtimeException e)
        {
            // Instantiation refused (memory or table over the store's limits) or a link error.
            throw new ContractAbort(Outcome.Because(ContractsErrors.Trapped, ContractsEvents.Trapped,
                new("contract", Contract.Name), new("address", Contract.Address.ToString()), new("method", Method.Name), new("trap", Truncate(e.Message.Split('\n')[0]))));
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    private static string TrapName(TrapCode code) => code switch
    {
        TrapCode.StackOverflow => "stack overflow",
        TrapCode.MemoryOutOfBounds => "memory out of bounds",
        TrapCode.HeapMisaligned => "misaligned memory access",
        TrapCode.TableOutOfBounds => "table out of bounds",
        TrapCode.IndirectCallToNull => "indirect call to null",
        TrapCode.BadSignature => "indirect call type mismatch",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.IntegerDivisionByZero => "integer division by zero",
        TrapCode.BadConversionToInteger => "invalid conversion to integer",
        TrapCode.Unreachable => "unreachable",
        _ => code.ToString().ToLowerInvariant(),
    };

    /// <summary>The gas left in the run: the fuel a call (or the code after a host call) may burn.</summary>
    private ulong Remaining => Run.Gas.Limit - Run.Gas.Used;

    /// <summary>Charges the fuel burned since the last settlement to the gas meter.</summary>
    private void Settle(ulong fuelLeft)
    {
        var burned = _fuelGiven - fuelLeft;
        _fuelGiven = fuelLeft;
        Run.Gas.Charge(burned);
    }

    /// <summary>At the start of a host function: the code's fuel so far is charged, then <paramref name="gas"/> for the host call itself.</summary>
    public void Enter(Caller caller, ulong gas)
    {
        Settle(caller.Fuel);
        Run.Gas.Charge(gas);
    }

    /// <summary>At the end of a host function: the code may burn what gas is left.</summary>
    public void Leave(Caller caller)
    {
        _fuelGiven = Remaining;
        caller.Fuel = _fuelGiven;
    }

    /// <summary>The bytes at [ptr, ptr+len) of the contract's memory; a range outside it aborts the call.</summary>
    public Span<byte> Bytes(int ptr, int len)
    {
        if (Memory is null || ptr < 0 || len < 0 || (long)ptr + len > Memory.GetLength())
        {
            throw new ContractAbort(ContractsErrors.HostCallInvalid);
        }
        return len == 0 ? [] : Memory.GetSpan(ptr, len);
    }
}

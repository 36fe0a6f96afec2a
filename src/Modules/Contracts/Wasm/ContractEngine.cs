using System.Collections.Concurrent;
using ThingLedger.Core.Crypto;
using Wasmtime;

namespace ThingLedger.Execution.Modules.Contracts.Wasm;

/// <summary>
/// The WebAssembly engine every contract runs in (docs/CONTRACTS.md "Engine"): Wasmtime with fuel
/// metering, NaN canonicalisation, and no threads, SIMD, WASI, clock or randomness, so a call
/// burns the same fuel and ends in the same state on every peer. A module is validated and
/// compiled once per code hash; the compiled form is kept in memory and, when the node gives a
/// directory (<see cref="UseDiskCache"/>), on disk keyed by code hash and <see cref="Version"/>.
/// </summary>
public sealed class ContractEngine : IDisposable
{
    /// <summary>The most linear memory a contract instance may have (256 pages of 64 KiB).</summary>
    public const long MaxMemoryBytes = 16L * 1024 * 1024;

    /// <summary>The native stack a call may use; deeper recursion traps (stack overflow).</summary>
    public const int MaxStackBytes = 512 * 1024;

    /// <summary>The largest code a deploy or upgrade may carry (the tx payload also holds the metadata).</summary>
    public const int MaxCodeBytes = 24 * 1024;

    public const int MaxTableElements = 10_000;

    /// <summary>The compiled-code cache key: the engine build and the ABI it links.</summary>
    public const string Version = "wasmtime-50.0.1+thingledger_v1";

    private readonly Engine _engine;
    private readonly ConcurrentDictionary<Hash, Lazy<Module>> _compiled = new();
    private string? _cacheDirectory;

    public ContractEngine()
    {
        using var config = new Config()
            .WithFuelConsumption(true)
            .WithCraneliftNaNCanonicalization(true)
            .WithWasmThreads(false)
            .WithSIMD(false)
            .WithRelaxedSIMD(false, true)
            .WithMultiMemory(false)
            .WithMemory64(false)
            .WithReferenceTypes(false)
            .WithGc(false)
            .WithExceptions(false)
            .WithMaximumStackSize(MaxStackBytes);
        _engine = new Engine(config);
        Linker = ContractHost.Link(_engine);
    }

    /// <summary>The one engine of the process: compiled modules are shared by every execution and query.</summary>
    public static ContractEngine Shared { get; } = new();

    internal Linker Linker { get; }

    internal Engine Engine => _engine;

    /// <summary>Keeps compiled modules in <paramref name="directory"/> too, so a restarted node does not recompile.</summary>
    public void UseDiskCache(string directory)
    {
        Directory.CreateDirectory(directory);
        _cacheDirectory = directory;
    }

    /// <summary>How many modules are compiled in memory (for /metrics and tests).</summary>
    public int CompiledCount => _compiled.Count;

    /// <summary>
    /// The compiled module of <paramref name="code"/> (whose hash is <paramref name="hash"/>): from
    /// memory, from disk, or compiled now — once, however many threads (a block's execution, queries)
    /// ask for it at the same time.
    /// </summary>
    internal Module Load(Hash hash, Func<byte[]> code) =>
        _compiled.GetOrAdd(hash, h => new Lazy<Module>(() => FromDisk(h) ?? Compile(h, code()), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private Module Compile(Hash hash, byte[] code)
    {
        var module = Module.FromBytes(_engine, hash.ToString(), code);
        if (_cacheDirectory is { } dir)
        {
            // A checksum guards the file: compiled code is trusted by the engine, so a damaged file is recompiled, not run.
            var compiled = module.Serialize();
            var file = new byte[Hash.Size + compiled.Length];
            Hash.Sha256(compiled).CopyTo(file);
            compiled.CopyTo(file.AsSpan(Hash.Size));
            var path = CachePath(dir, hash);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                File.WriteAllBytes(temp, file);
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The cache only saves compiling again after a restart: a disk that refuses it changes no result.
                TryDelete(temp);
            }
        }
        return module;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private Module? FromDisk(Hash hash)
    {
        if (_cacheDirectory is not { } dir || !File.Exists(CachePath(dir, hash)))
        {
            return null;
        }
        var file = File.ReadAllBytes(CachePath(dir, hash));
        if (file.Length <= Hash.Size || !Hash.Sha256(file.AsSpan(Hash.Size)).Equals(new Hash(file.AsSpan(0, Hash.Size))))
        {
            return null;
        }
        try
        {
            return Module.Deserialize(_engine, hash.ToString(), file.AsSpan(Hash.Size));
        }
        catch (WasmtimeException)
        {
            return null;
        }
    }

    private static string CachePath(string dir, Hash hash) => Path.Combine(dir, $"{hash}.{Version}.cwasm");

    /// <summary>
    /// Why <paramref name="code"/> cannot run as a contract with <paramref name="metadata"/>, as an
    /// error code and a reason, or null when it can: too large, not valid WebAssembly for this
    /// engine, an import the host does not offer (or with another signature), a missing export,
    /// or more memory than a contract may have.
    /// </summary>
    public (string Code, string Reason)? Check(ReadOnlySpan<byte> code, ContractMetadata metadata)
    {
        if (code.Length > MaxCodeBytes)
        {
            return (ContractsErrors.CodeTooLarge, $"the code is {code.Length} bytes; a contract's code is at most {MaxCodeBytes}");
        }
        if (Module.Validate(_engine, code) is { } invalid)
        {
            return (ContractsErrors.WasmInvalid, invalid);
        }
        using var module = Module.FromBytes(_engine, "check", code);
        foreach (var import in module.Imports)
        {
            if (import is not FunctionImport f || !ContractHost.Offers(import.ModuleName, import.Name, f.Parameters, f.Results))
            {
                return (ContractsErrors.ImportUnknown, $"the module imports {import.ModuleName}.{import.Name}, which the host interface ({ContractAbi.HostModule}) does not offer with that signature");
            }
        }
        var memories = module.Exports.OfType<MemoryExport>().ToList();
        if (memories.Count != 1 || memories[0].Name != "memory")
        {
            return (ContractsErrors.ExportMissing, "a contract exports exactly one memory, named 'memory'");
        }
        if (memories[0].Minimum * Memory.PageSize > MaxMemoryBytes)
        {
            return (ContractsErrors.MemoryTooLarge, $"the module asks for {memories[0].Minimum} pages of memory at start; a contract may have at most {MaxMemoryBytes / Memory.PageSize}");
        }
        foreach (var method in metadata.Methods)
        {
            var export = module.Exports.OfType<FunctionExport>().FirstOrDefault(e => e.Name == method.Name);
            if (export is null || export.Parameters.Count != 0 || export.Results.Count != 0)
            {
                return (ContractsErrors.ExportMissing, $"the metadata declares method '{method.Name}', which the module does not export as a function () -> ()");
            }
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var module in _compiled.Values.Where(m => m.IsValueCreated))
        {
            module.Value.Dispose();
        }
        Linker.Dispose();
        _engine.Dispose();
    }
}

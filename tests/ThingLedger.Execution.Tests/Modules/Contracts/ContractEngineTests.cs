using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Contracts.Wasm;
using static ThingLedger.Execution.Tests.Modules.Contracts.TestContracts;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>The engine's compiled-code cache: compiled once per code hash, kept on disk, and a damaged file recompiled rather than run.</summary>
public sealed class ContractEngineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-contract-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_module_compiles_once_and_a_restarted_engine_loads_it_from_disk()
    {
        var code = Wasm(Counter);
        var hash = Hash.Sha256(code);
        var compiles = 0;
        byte[] Code()
        {
            compiles++;
            return code;
        }

        using (var first = new ContractEngine())
        {
            first.UseDiskCache(_directory);
            first.Load(hash, Code);
            first.Load(hash, Code);
            Assert.Equal((1, 1), (compiles, first.CompiledCount));
        }
        var file = Assert.Single(Directory.GetFiles(_directory));
        Assert.Contains(hash.ToString(), Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Contains(ContractEngine.Version, Path.GetFileName(file), StringComparison.Ordinal);

        using (var restarted = new ContractEngine())
        {
            restarted.UseDiskCache(_directory);
            restarted.Load(hash, Code);
            Assert.Equal(1, compiles);
        }

        // A damaged file fails its checksum: the module is compiled again from the code, not run from the file.
        var bytes = File.ReadAllBytes(file);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        using var damaged = new ContractEngine();
        damaged.UseDiskCache(_directory);
        damaged.Load(hash, Code);
        Assert.Equal(2, compiles);
    }

    [Fact]
    public void Threads_asking_for_one_module_at_once_compile_it_once()
    {
        var code = Wasm(Counter);
        var hash = Hash.Sha256(code);
        var compiles = 0;
        using var engine = new ContractEngine();
        engine.UseDiskCache(_directory);
        Parallel.For(0, 16, _ => engine.Load(hash, () =>
        {
            Interlocked.Increment(ref compiles);
            return code;
        }));
        Assert.Equal(1, compiles);
        Assert.Single(Directory.GetFiles(_directory));
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using ThingLedger.Client;
using ThingLedger.Execution.Modules.Contracts.Wasm;

namespace ThingLedger.Cli.Commands;

/// <summary>contract new and contract build: a contract folder from the template, and its code from the pinned AssemblyScript compiler.</summary>
internal static partial class ContractCommands
{
    private static Command New()
    {
        var name = new Argument<string>("name") { Description = "The contract's name (1–32 of a-z, 0-9, '-', starting with a letter)" };
        var dir = new Option<string?>("--dir") { Description = "Where to create it (default: ./NAME)" };
        return new Command("new", "Create a contract folder: contract.json, index.ts, the SDK and the pinned compiler's package files.\nExample: thingledger contract new counter && thingledger contract build counter")
            .With(name, dir)
            .Runs((parse, cli, ct) =>
            {
                var contract = parse.GetValue(name)!;
                if (!Core.Ledger.Identifiers.IsModuleName(contract))
                {
                    throw new FormatException($"'{contract}' is not a contract name: 1–32 of a-z, 0-9 and '-', starting with a letter");
                }
                var folder = parse.GetValue(dir) ?? contract;
                if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    throw new IOException($"{folder} exists and is not empty; choose another --dir");
                }
                Directory.CreateDirectory(Path.Combine(folder, "sdk"));
                foreach (var file in new[] { "sdk/index.ts", "package.json", "package-lock.json" })
                {
                    using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream($"contract-sdk/{file}")
                        ?? throw new InvalidOperationException($"the contract SDK file {file} is missing from this build");
                    using var output = File.Create(Path.Combine(folder, file));
                    resource.CopyTo(output);
                }
                File.WriteAllText(Path.Combine(folder, ContractManifest.FileName), Template.Manifest.Replace("NAME", contract, StringComparison.Ordinal));
                File.WriteAllText(Path.Combine(folder, "index.ts"), Template.Source);
                CliRunner.Success($"created {folder}: edit index.ts and contract.json, then `thingledger contract build {folder}` and `thingledger contract deploy {folder}`");
                return Task.FromResult(0);
            });
    }

    private static Command Build()
    {
        var folder = new Argument<string>("folder") { Description = "The contract's folder", DefaultValueFactory = _ => "." };
        return new Command("build", "Compile a contract with the pinned AssemblyScript compiler (npm ci on first use, then npx asc) and check it as a node would.\nExample: thingledger contract build contracts/examples/token")
            .With(folder)
            .Runs(async (parse, cli, ct) =>
            {
                var manifest = ContractManifest.Load(parse.GetValue(folder)!);
                var root = ProjectRoot(manifest.Directory);
                if (!File.Exists(Path.Combine(root, "node_modules", ".bin", "asc")))
                {
                    Console.Error.WriteLine($"installing the pinned compiler in {root} (npm ci)…");
                    await RunAsync(root, "npm", ["ci", "--no-audit", "--no-fund"], ct).ConfigureAwait(false);
                }
                Directory.CreateDirectory(Path.GetDirectoryName(manifest.WasmPath)!);
                var abort = Path.GetRelativePath(root, Path.Combine(root, "sdk", "index")).Replace('\\', '/') + "/abort";
                await RunAsync(root, "npx", ["asc", manifest.SourcePath, "-o", manifest.WasmPath, "-O3", "--runtime", "stub", "--use", $"abort={abort}"], ct).ConfigureAwait(false);
                var code = await File.ReadAllBytesAsync(manifest.WasmPath, ct).ConfigureAwait(false);
                if (ContractEngine.Shared.Check(code, manifest.Metadata()) is { } refused)
                {
                    throw new FormatException($"{refused.Code}: {refused.Reason}");
                }
                CliRunner.Success($"built {manifest.WasmPath}: {code.Length} bytes, SHA-256 {Core.Crypto.Hash.Sha256(code)}; it passes the node's checks");
                return 0;
            });
    }

    /// <summary>The folder at or above <paramref name="from"/> with the contract toolchain's package.json and sdk/index.ts.</summary>
    private static string ProjectRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "sdk", "index.ts")))
            {
                return dir.FullName;
            }
        }
        throw new FormatException($"no contract toolchain (package.json beside sdk/index.ts) at or above {from}; `thingledger contract new NAME` creates a folder that has one");
    }

    private static async Task RunAsync(string directory, string program, string[] arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {program}: {e.Message} (install Node.js and npm: apt-get install -y nodejs npm)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new FormatException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}):\n{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}".TrimEnd());
            }
        }
    }

    private static class Template
    {
        public const string Manifest = """
            {
              "name": "NAME",
              "version": "0.1.0",
              "description": "A counter anyone can add to",
              "policy": "anyone",
              "wasm": "build/contract.wasm",
              "methods": [
                { "name": "add", "view": false, "args": [{ "name": "by", "type": "u64" }], "returns": [{ "name": "total", "type": "u64" }] },
                { "name": "total", "view": true, "returns": [{ "name": "total", "type": "u64" }] }
              ],
              "events": [
                { "name": "added", "fields": [{ "name": "by", "type": "u64" }, { "name": "who", "type": "address" }] }
              ]
            }

            """;

        public const string Source = """
            // A counter: add(by) adds to the total and says who did; total() reads it. See docs/CONTRACTS.md.
            import { args, result, storage, signer, emit, require, Writer } from "./sdk/index";

            export function add(): void {
              const a = args();
              const by = a.u64();
              a.end();
              require(by > 0, "ZERO", "add a positive number");
              const total = storage.getU64("total") + by;
              storage.setU64("total", total);
              emit("added", new Writer().u64(by).address(signer()));
              result(new Writer().u64(total));
            }

            export function total(): void {
              result(new Writer().u64(storage.getU64("total")));
            }

            """;
    }
}

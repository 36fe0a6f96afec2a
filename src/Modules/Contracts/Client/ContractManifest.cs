using System.Text.Json;
using System.Text.Json.Serialization;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Client;

/// <summary>
/// A contract's <c>contract.json</c> (docs/CONTRACTS.md "Manifest"): its name, version, call policy,
/// where its built code is, and its methods and events, which become the metadata stored with it.
/// </summary>
public sealed record ContractManifest(
    string Name, string Version, string? Description, CallPolicy Policy, List<string>? Orgs, string Wasm,
    List<ContractMethodManifest> Methods, List<ContractEventManifest>? Events, string? Source = null)
{
    public const string FileName = "contract.json";

    /// <summary>Reads and checks <paramref name="path"/> (a contract.json, or the folder holding one).</summary>
    /// <exception cref="FormatException">Not JSON of this shape, or metadata a contract cannot have; the message says what.</exception>
    public static ContractManifest Load(string path)
    {
        var file = System.IO.Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new FormatException($"{file} does not exist (a contract folder holds {FileName}; `thingledger contract new NAME` makes one)");
        }
        return Parse(File.ReadAllText(file), file) with { Directory = Path.GetDirectoryName(Path.GetFullPath(file))! };
    }

    /// <summary>Reads and checks a manifest's JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">Not JSON of this shape, or metadata a contract cannot have.</exception>
    public static ContractManifest Parse(string json, string source)
    {
        ContractManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ContractManifestJson.Default.ContractManifest);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: {e.Message}");
        }
        if (manifest is null || manifest.Name is null || manifest.Version is null || manifest.Methods is null)
        {
            throw new FormatException($"{source}: name, version and methods are required");
        }
        if (manifest.Metadata().Problem() is { } problem)
        {
            throw new FormatException($"{source}: {problem}");
        }
        return manifest;
    }

    /// <summary>The folder the manifest was read from; <see cref="Wasm"/> is relative to it.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = ".";

    public string WasmPath => Path.Combine(Directory, Wasm);

    /// <summary>The AssemblyScript entry file (index.ts unless <see cref="Source"/> says otherwise).</summary>
    public string SourcePath => Path.Combine(Directory, Source ?? "index.ts");

    public ContractMetadata Metadata() => new(Description ?? string.Empty,
        [.. Methods.Select(m => new ContractMethod(m.Name, m.View, Params(m.Args), Params(m.Returns)))],
        [.. (Events ?? []).Select(e => new ContractEventSpec(e.Name, Params(e.Fields)))]);

    private static ContractParam[] Params(List<ContractParamManifest>? list) => [.. (list ?? []).Select(p => new ContractParam(p.Name, p.Type))];

    /// <summary>The deploy (or upgrade) proposal for the built code, with <c>init</c>'s arguments given as text.</summary>
    /// <exception cref="FormatException">The code is not built, or the init arguments do not fit init's types.</exception>
    public DeployPayload Proposal(IReadOnlyList<string> initArgs)
    {
        if (!File.Exists(WasmPath))
        {
            throw new FormatException($"{WasmPath} does not exist: build the contract first (`thingledger contract build {Directory}`)");
        }
        return Proposal(File.ReadAllBytes(WasmPath), initArgs);
    }

    /// <summary>The proposal for <paramref name="code"/> (already built), with <c>init</c>'s arguments given as text.</summary>
    /// <exception cref="FormatException">The init arguments do not fit init's types.</exception>
    public DeployPayload Proposal(byte[] code, IReadOnlyList<string> initArgs)
    {
        var metadata = Metadata();
        var init = metadata.Method(ContractMetadata.InitMethod);
        if (init is null && initArgs.Count > 0)
        {
            throw new FormatException($"contract '{Name}' has no init method, so it takes no init arguments");
        }
        var args = init is null ? [] : ContractAbi.Encode(init.ArgTypes, initArgs, [.. init.Args.Select(a => a.Name)]);
        return new DeployPayload(Name, Version, code, metadata, args, Policy, [.. Orgs ?? []]);
    }
}

public sealed record ContractMethodManifest(string Name, bool View, List<ContractParamManifest>? Args, List<ContractParamManifest>? Returns);

public sealed record ContractEventManifest(string Name, List<ContractParamManifest>? Fields);

public sealed record ContractParamManifest(string Name, ContractType Type);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ContractManifest))]
internal sealed partial class ContractManifestJson : JsonSerializerContext;

using System.Text.Json;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>The committed builds of contracts/examples and their metadata from contract.json, as a node receives them.</summary>
internal static class ExampleContracts
{
    public static string Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThingLedger.slnx")))
            {
                return Path.Combine(dir.FullName, "contracts", "examples", name);
            }
        }
        throw new InvalidOperationException("the repository root (ThingLedger.slnx) is not above the test's folder");
    }

    public static DeployPayload Deploy(string name, byte[] initArgs)
    {
        var folder = Folder(name);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "contract.json")));
        var root = manifest.RootElement;
        return new DeployPayload(root.GetProperty("name").GetString()!, root.GetProperty("version").GetString()!,
            File.ReadAllBytes(Path.Combine(folder, "build", "contract.wasm")), Metadata(root), initArgs, CallPolicy.Anyone, []);
    }

    private static ContractMetadata Metadata(JsonElement root) => new(root.GetProperty("description").GetString()!,
        [.. root.GetProperty("methods").EnumerateArray().Select(m => new ContractMethod(m.GetProperty("name").GetString()!,
            m.GetProperty("view").GetBoolean(), Params(m, "args"), Params(m, "returns")))],
        [.. (root.TryGetProperty("events", out var events) ? events.EnumerateArray() : default).Select(e => new ContractEventSpec(e.GetProperty("name").GetString()!, Params(e, "fields")))]);

    private static ContractParam[] Params(JsonElement element, string property) =>
        element.TryGetProperty(property, out var list)
            ? [.. list.EnumerateArray().Select(p => new ContractParam(p.GetProperty("name").GetString()!,
                ContractAbi.TryParseType(p.GetProperty("type").GetString(), out var type) ? type : throw new FormatException(p.ToString())))]
            : [];
}

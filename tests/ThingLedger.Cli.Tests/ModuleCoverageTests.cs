using System.Reflection;
using System.Text.RegularExpressions;
using ThingLedger.Core;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// Every operation of every registered module has what a user reaches it through: an SDK
/// builder, a CLI command (unless nodes submit it themselves), a wire-format entry, and every
/// error code a documented meaning. (Its explorer describer is required by
/// <see cref="OperationTable.Add{T}"/> itself.)
/// </summary>
public sealed partial class ModuleCoverageTests
{
    private static readonly StateMachine Machine = StateMachine.Create("coverage");

    private static IEnumerable<(string Module, string Operation)> RegisteredOperations() =>
        Machine.Modules.SelectMany(m => m.Operations.Names.Select(o => (m.Name, o)));

    private static string Root() => Repository.Root();

    private static string Doc(string name) => File.ReadAllText(Path.Combine(Root(), "docs", name));

    private static IEnumerable<(MethodInfo Method, Client.BuildsAttribute Builds)> Builders() =>
        typeof(Client.Operations).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (m, m.GetCustomAttribute<Client.BuildsAttribute>()))
            .Where(b => b.Item2 is not null)
            .Select(b => (b.m, b.Item2!));

    [Fact]
    public void Every_operation_a_user_submits_has_a_cli_command()
    {
        var commands = string.Concat(Directory.GetDirectories(Path.Combine(Root(), "src", "Modules"))
            .Select(module => Path.Combine(module, "Cli"))
            .Where(Directory.Exists)
            .SelectMany(cli => Directory.GetFiles(cli, "*.cs", SearchOption.AllDirectories))
            .Select(File.ReadAllText));
        None("operations no CLI command submits (no file in src/Modules/*/Cli calls their SDK builder)", Builders()
            .Where(b => !b.Builds.ByNode && !Regex.IsMatch(commands, $@"\bOperations\.{b.Method.Name}\b"))
            .Select(b => (b.Builds.Module, b.Builds.Operation)));
    }

    [Fact]
    public void Dependencies_point_one_way_the_sdk_and_storage_never_reach_the_state_machine()
    {
        static IEnumerable<string?> Ours(Type type) => type.Assembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n!.StartsWith("ThingLedger.", StringComparison.Ordinal));
        Assert.Equal(["ThingLedger.Contracts", "ThingLedger.Core"], Ours(typeof(Client.ThingLedgerClient)).Order(StringComparer.Ordinal));
        Assert.Equal(["ThingLedger.Core"], Ours(typeof(Storage.LedgerStore)));
        Assert.Equal(["ThingLedger.Core"], Ours(typeof(Execution.Modules.Tokens.TokenAmountPayload)));
    }

    [Fact]
    public void Every_operation_has_an_sdk_builder()
    {
        var built = Builders().Select(b => (b.Builds.Module, b.Builds.Operation)).ToHashSet();
        None("operations without an SDK builder ([Builds] in src/Modules/*/Client)", RegisteredOperations().Where(o => !built.Contains(o)));
        None("SDK builders for operations no module registers", built.Where(b => !RegisteredOperations().Contains(b)));
    }

    [Fact]
    public void Every_operation_has_a_row_in_the_wire_format_payload_table()
    {
        var doc = Doc("WIRE-FORMAT.md");
        var table = doc[doc.IndexOf("## Module payloads", StringComparison.Ordinal)..doc.IndexOf("## Genesis", StringComparison.Ordinal)];
        var documented = new HashSet<(string, string)>();
        foreach (Match row in TableRow().Matches(table))
        {
            var names = Code().Matches(row.Groups["first"].Value).Select(m => m.Groups[1].Value).ToList();
            foreach (var operation in names.Skip(1))
            {
                documented.Add((names[0], operation));
            }
        }
        None("operations without a row in WIRE-FORMAT.md \"Module payloads\"", RegisteredOperations().Where(o => !documented.Contains(o)));
    }

    [Fact]
    public void Every_declared_event_has_its_row_in_the_wire_format_events_table()
    {
        var doc = Doc("WIRE-FORMAT.md");
        var table = doc[doc.IndexOf("### Events", StringComparison.Ordinal)..doc.IndexOf("## Block header", StringComparison.Ordinal)];
        var declared = Machine.Modules.SelectMany(m => m.Events).ToList();
        Assert.NotEmpty(declared);
        var missing = declared.Where(e => !table.Contains(Row(e), StringComparison.Ordinal)).Select(e => Row(e)).ToList();
        Assert.True(missing.Count == 0, "events whose row in WIRE-FORMAT.md \"Events\" is missing or differs; expected:\n" + string.Join("\n", missing));

        static string Row(Core.Ledger.EventType e) =>
            $"| `{e.Module}` | `{e.Name}` | {string.Join(", ", e.Fields.Select(f => $"`{f.Key}`" + f.Topic switch
            {
                Core.Ledger.Topic.Address => " (address)",
                Core.Ledger.Topic.Token => " (token)",
                _ => string.Empty,
            }))} |";
    }

    [Fact]
    public void Every_error_code_is_documented()
    {
        var doc = Doc("ERRORS.md");
        var missing = ModuleErrors.Kernel.Where(c => !doc.Contains($"`{c}`", StringComparison.Ordinal) && !Prefixed(doc, c)).ToList();
        Assert.True(missing.Count == 0, "kernel error codes ERRORS.md does not explain: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_module_error_code_is_documented_in_its_module_section()
    {
        var doc = Doc("ERRORS.md");
        foreach (var module in Machine.Modules)
        {
            var errors = Assert.IsType<ModuleErrors>(module.Errors);
            var heading = $"### `{module.Name}` — prefix `{errors.Prefix}`";
            var start = doc.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(start >= 0, $"ERRORS.md has no section \"{heading}\"");
            var end = NextSection().Match(doc, start + heading.Length) is { Success: true } next ? next.Index : doc.Length;
            var section = doc[start..end];
            var missing = errors.Codes.Where(c => !section.Contains($"`{c}`", StringComparison.Ordinal) && !Prefixed(section, c)).ToList();
            Assert.True(missing.Count == 0, $"codes of module '{module.Name}' its ERRORS.md section does not explain: " + string.Join(", ", missing));
        }
    }

    private static void None(string what, IEnumerable<(string Module, string Operation)> operations)
    {
        var names = operations.Select(o => $"{o.Module}/{o.Operation}").ToList();
        Assert.True(names.Count == 0, $"{what}: {string.Join(", ", names)}");
    }

    /// <summary>ERRORS.md writes families as `CARBON_METHODOLOGY_INVALID|EXISTS|NOT_FOUND`.</summary>
    private static bool Prefixed(string doc, string code) =>
        Family().Matches(doc).Any(m => m.Groups["alternatives"].Value.Split('|').Select((part, i) => i == 0 ? part : m.Groups["stem"].Value + part).Contains(code));

    [GeneratedRegex(@"^#{2,3} ", RegexOptions.Multiline)]
    private static partial Regex NextSection();

    [GeneratedRegex(@"^\| (?<first>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([a-z0-9-]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"`(?<alternatives>(?<stem>[A-Z_]+_)[A-Z]+(?:\|[A-Z_]+)+)`")]
    private static partial Regex Family();
}

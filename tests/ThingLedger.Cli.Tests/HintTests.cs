using System.CommandLine;
using System.Text.RegularExpressions;

namespace ThingLedger.Cli.Tests;

/// <summary>Every `thingledger …` the program prints or documents names commands that exist.</summary>
public sealed partial class HintTests
{
    [Fact]
    public void Every_command_the_sources_and_docs_mention_exists()
    {
        var root = CliApp.Root();
        var repo = Repository.Root();
        var files = Directory.GetFiles(Path.Combine(repo, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(Path.Combine(repo, "docs"), "*.md"))
            .Append(Path.Combine(repo, "README.md"));
        var wrong = new List<string>();
        var seen = 0;
        foreach (var file in files)
        {
            // Interpolations ({url}, {network.Peers[0].DataDir}) stand for one value.
            foreach (Match hint in Hint().Matches(Interpolation().Replace(File.ReadAllText(file), "X")))
            {
                seen++;
                if (Check(root, hint.Groups["words"].Value) is { } problem)
                {
                    wrong.Add($"{Path.GetRelativePath(repo, file)}: `thingledger {hint.Groups["words"].Value.Trim()}` — {problem}");
                }
            }
        }
        Assert.True(seen > 100, $"only {seen} mentions found");
        Assert.True(wrong.Count == 0, "mentions of commands that do not exist:\n" + string.Join('\n', wrong.Distinct()));
    }

    /// <summary>
    /// Walks the words down the command tree, stepping over options (and the value of one that takes
    /// a value): each word that reads as a command name must be a subcommand where there are subcommands.
    /// </summary>
    private static string? Check(Command root, string words)
    {
        Command command = root;
        var list = words.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < list.Length; i++)
        {
            var word = list[i];
            if (word.StartsWith('-'))
            {
                var option = new[] { command, root }.SelectMany(c => c.Options).FirstOrDefault(o => o.Name == word || o.Aliases.Contains(word));
                if (option is not null && option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool))
                {
                    i++;
                }
                continue;
            }
            if (command.Subcommands.Count == 0)
            {
                return null;
            }
            var next = command.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
            if (next is null)
            {
                return $"`{command.Name}` has no subcommand `{word}` (it has {string.Join(", ", command.Subcommands.Select(c => c.Name))})";
            }
            command = next;
        }
        return null;
    }

    [GeneratedRegex(@"\{[^{}\n]*\}")]
    private static partial Regex Interpolation();

    /// <summary>`thingledger` then the command words (lower-case words and options) that follow it in code, text or markup.</summary>
    [GeneratedRegex(@"\bthingledger(?<words>(?: (?:--?[a-z][a-z-]*(?: (?!-)[^\s`'""\[\]<>)]+)?|[a-z][a-z-]*))+)")]
    private static partial Regex Hint();
}

using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

namespace ThingLedger.Cli.Commands;

/// <summary>tx show|proof; block show; state get; verify.</summary>
internal static class ChainCommands
{
    public static Command Tx()
    {
        var id = new Argument<string>("id") { Description = "Tx id (64 hex digits)" };
        var show = new Command("show", "Show a tx with its receipt.\nExample: thingledger tx show 94c5…").With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var tx = await cli.Client.GetTxAsync(Hash.Parse(parse.GetValue(id)!), ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException("NOT_FOUND", $"no tx {parse.GetValue(id)}", 404);
                if (cli.Json)
                {
                    Output.Json(tx);
                    return 0;
                }
                Output.Fields($"tx {tx.Id}", ("status", tx.Status), ("block", tx.Height?.ToString(CultureInfo.InvariantCulture)),
                    ("index", tx.Index?.ToString(CultureInfo.InvariantCulture)), ("module", tx.Module), ("operation", tx.Operation),
                    ("signer", tx.Signer), ("nonce", tx.Nonce), ("error code", tx.Receipt?.Code), ("gas used", tx.Receipt?.GasUsed), ("gas limit", tx.GasLimit),
                    ("events", tx.Receipt is null ? null : string.Join("; ", tx.Receipt.Events.Select(e => $"{e.Module}.{e.Name}({string.Join(", ", e.Attributes.Select(a => $"{a.Key}={a.Value}"))})"))));
                return 0;
            });
        var proofId = new Argument<string>("id") { Description = "Tx id" };
        var output = new Option<string>("--out", "-o") { Description = "Write the proof to this file (default: print it)" };
        var proof = new Command("proof", "Fetch a committed tx's proof for offline verification.\nExample: thingledger tx proof 94c5… --out receipt.json && thingledger verify receipt.json")
            .With(proofId, output)
            .Runs(async (parse, cli, ct) =>
            {
                var document = await cli.Client.GetTxProofAsync(Hash.Parse(parse.GetValue(proofId)!), ct).ConfigureAwait(false);
                return Emit(document, parse.GetValue(output));
            });
        return new Command("tx", "Transactions.").With(show, proof);
    }

    public static Command Block()
    {
        var which = new Argument<string>("height") { Description = "Block height, or 'head'", DefaultValueFactory = _ => "head" };
        var show = new Command("show", "Show a block header, certificate and txs.\nExample: thingledger block show 42").With(which)
            .Runs(async (parse, cli, ct) =>
            {
                var text = parse.GetValue(which)!;
                var head = text == "head" ? await cli.Client.GetHeadAsync(ct).ConfigureAwait(false) : null;
                var height = head?.Height ?? (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : throw new FormatException($"'{text}' is not a height"));
                var block = await cli.Client.GetBlockAsync(height, ct).ConfigureAwait(false) ?? throw new ThingLedgerException("NOT_FOUND", $"no block {height}", 404);
                if (cli.Json)
                {
                    Output.Json(block);
                    return 0;
                }
                Output.Fields($"block {block.Height}", ("hash", block.Hash), ("previous", block.PreviousHash),
                    ("time", Output.Time(block.Timestamp)),
                    ("txs", block.TxCount), ("tx root", block.TxRoot), ("receipts root", block.ReceiptsRoot), ("state root", block.StateRoot),
                    ("attested by", string.Join(", ", block.Certificate.Select(a => a.Validator[..18] + "…"))));
                Output.Rows("txs", ["#", "id", "module.op", "signer", "status", "code"],
                    (block.Txs ?? []).Take(50).Select(t => new[] { t.Index?.ToString(CultureInfo.InvariantCulture), t.Id, $"{t.Module}.{t.Operation}", t.Signer, t.Status.Text(), t.Receipt?.Code }));
                return 0;
            });
        var before = new Option<ulong?>("--before") { Description = "Continue below this height (printed as 'next')" };
        var limit = new Option<int>("--limit") { Description = "At most this many (1-100)", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "The newest blocks, newest first: height, time, txs, hash and how many validators attested it.\n" +
                "Example: thingledger block list --limit 50").With(before, limit)
            .Runs(async (parse, cli, ct) =>
            {
                var page = await cli.Client.ListBlocksAsync(parse.GetValue(before), parse.GetValue(limit), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                    return 0;
                }
                Output.Rows("blocks", ["height", "time", "txs", "hash", "attested by"],
                    page.Items.Select(b => new[] { b.Height.ToString(CultureInfo.InvariantCulture), Output.Time(b.Timestamp), b.TxCount.ToString(CultureInfo.InvariantCulture), ThingLedger.Node.Explorer.Fmt.Short(b.Hash, 16),
                        b.Certificate.Count.ToString(CultureInfo.InvariantCulture) }));
                if (page.Next is not null)
                {
                    Console.WriteLine($"next: thingledger block list --before {page.Next}");
                }
                return 0;
            });
        return new Command("block", "Blocks.").With(show, list);
    }

    public static Command State()
    {
        var key = new Argument<string>("key") { Description = "State key, e.g. tokens/balance/VOLT/tl…" };
        var withProof = new Option<bool>("--proof") { Description = "Fetch a proof and verify it against the local genesis" };
        var output = new Option<string>("--out", "-o") { Description = "Write the proof document to this file" };
        var get = new Command("get", "Read a state key; with --proof, verify value or absence offline against <data>/genesis.json.\n" +
                "Example: thingledger state get tokens/token/VOLT --proof --out volt.json")
            .With(key, withProof, output)
            .Runs(async (parse, cli, ct) =>
            {
                var entry = await cli.Client.GetStateAsync(parse.GetValue(key)!, parse.GetValue(withProof), ct).ConfigureAwait(false);
                if (entry.Proof is { } document)
                {
                    var result = document.Verify(Node.DataDirectory.LoadGenesis(cli.DataDirectory));
                    if (parse.GetValue(output) is { } path)
                    {
                        await File.WriteAllTextAsync(path, document.ToJson(), ct).ConfigureAwait(false);
                    }
                    if (cli.Json)
                    {
                        Output.Json(entry);
                    }
                    else
                    {
                        Output.Fields($"state {entry.Key}", [("present", entry.Present), .. Decoded(entry), ("value (hex)", entry.Value), ("block", entry.Height)]);
                        Report(result);
                    }
                    return result.Ok ? 0 : CliRunner.Refused;
                }
                if (cli.Json)
                {
                    Output.Json(entry);
                }
                else
                {
                    Output.Fields($"state {entry.Key}", [.. Decoded(entry), ("value (hex)", entry.Value), ("block", entry.Height)]);
                }
                return 0;
            });
        return new Command("state", "Authenticated state.").With(get);
    }

    /// <summary>The value's kind and fields as the owning module decodes them (none when it does not).</summary>
    private static IEnumerable<(string, object?)> Decoded(Client.Contracts.StateEntryView entry) =>
        entry.Decoded is not { } fields
            ? []
            : [("kind", entry.Kind), .. fields.Select(f => ((string)("  " + f.Name), (object?)f.Value))];

    public static Command Verify()
    {
        var file = new Argument<string>("file") { Description = "A proof document (from `tx proof`, `state get --proof --out`, `device receipt`, `epcis receipt`) or a proof bundle (`epcis bundle`)" };
        var genesis = new Option<string>("--genesis") { Description = "Genesis file to trust (default: <data>/genesis.json)" };
        var kind = new Option<string>("--expect-kind") { Description = "Fail unless the proof is of this kind: state, tx or reading" };
        var key = new Option<string>("--expect-key") { Description = "Fail unless it proves this state key" };
        var device = new Option<string>("--expect-device") { Description = "Fail unless it proves a reading of this device (tl… address)" };
        var tx = new Option<string>("--expect-tx") { Description = "Fail unless it proves this tx (a reading: its anchor tx), by id" };
        return new Command("verify", "Verify a proof offline, trusting only a genesis file; says which link broke if any, and with --expect-* whether it proves what you need.\n" +
                "Example: thingledger verify receipt.json --genesis ./chain/genesis.json --expect-device tl…")
            .With(file, genesis, kind, key, device, tx)
            .Runs((parse, cli, _) =>
            {
                var genesisPath = parse.GetValue(genesis) ?? Node.DataDirectory.GenesisPath(cli.DataDirectory);
                if (!File.Exists(genesisPath))
                {
                    throw new FileNotFoundException($"genesis file {genesisPath} not found (pass --genesis)");
                }
                var expected = new ProofExpectation(
                    parse.GetValue(kind) is { } k ? k is ProofDocument.StateKind or ProofDocument.TxKind or ProofDocument.ReadingKind ? k : throw new FormatException($"--expect-kind '{k}' is not state, tx or reading") : null,
                    parse.GetValue(key),
                    parse.GetValue(device) is { } d ? Address.TryParse(d, out var address) ? address : throw new FormatException($"--expect-device '{d}' is not an address (tl…)") : null,
                    parse.GetValue(tx) is { } t ? Hash.TryParse(t, out var id) ? id : throw new FormatException($"--expect-tx '{t}' is not a tx id (64 hex digits)") : null);
                var trusted = Genesis.Parse(File.ReadAllText(genesisPath));
                var text = File.ReadAllText(parse.GetValue(file)!);
                if (ProofBundle.IsBundle(text))
                {
                    return Task.FromResult(VerifyBundle(ProofBundle.Parse(text), trusted, cli.Json));
                }
                var document = ProofDocument.Parse(text);
                var result = document.Verify(trusted);
                if (result.Ok)
                {
                    var about = expected.Check(document);
                    result = about.Ok ? result : about;
                }
                if (cli.Json)
                {
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new VerifyOutput(result.Ok, result.Link, result.Message, document.Kind), CliJsonContext.Default.VerifyOutput));
                }
                else
                {
                    Report(result);
                }
                return Task.FromResult(result.Ok ? 0 : CliRunner.Refused);
            });
    }

    /// <summary>Checks every proof of a bundle: one line each, then the bundle's verdict.</summary>
    private static int VerifyBundle(ProofBundle bundle, Genesis trusted, bool json)
    {
        var (result, each) = bundle.Verify(trusted);
        if (json)
        {
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new VerifyOutput(result.Ok, result.Link, result.Message, "bundle"), CliJsonContext.Default.VerifyOutput));
            return result.Ok ? 0 : CliRunner.Refused;
        }
        for (var i = 0; i < each.Count; i++)
        {
            Console.WriteLine($"{(each[i].Ok ? "✓" : "✗")} {i} {bundle.Proofs[i].Kind}: {(each[i].Ok ? each[i].Message : $"broken link {each[i].Link} — {each[i].Message}")}");
        }
        Report(result);
        return result.Ok ? 0 : CliRunner.Refused;
    }

    private static void Report(VerificationResult result)
    {
        if (result.Ok)
        {
            CliRunner.Success($"verified: {result.Message}");
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]✗ broken link: {Markup.Escape(result.Link)}[/] — {Markup.Escape(result.Message)}");
        }
    }

    internal static int Emit(ProofDocument document, string? path)
    {
        if (path is null)
        {
            Console.WriteLine(document.ToJson());
        }
        else
        {
            File.WriteAllText(path, document.ToJson());
            CliRunner.Success($"wrote {path} (block {document.Height})");
        }
        return 0;
    }
}

/// <summary>What `verify --json` prints: `ok` is a JSON boolean; `link` names the broken link ("expectation" when it proves something else).</summary>
public sealed record VerifyOutput(
    [property: System.Text.Json.Serialization.JsonPropertyName("ok")] bool Ok,
    [property: System.Text.Json.Serialization.JsonPropertyName("link")] string Link,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message,
    [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind);

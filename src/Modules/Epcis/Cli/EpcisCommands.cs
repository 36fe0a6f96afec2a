using System.CommandLine;
using System.Text.Json;
using ThingLedger.Cli.Modules;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Cli.Commands;

/// <summary>epcis item|hash|capture|receipt|verify|role (docs/EPCIS.md).</summary>
internal static class EpcisCommands
{
    public static Command Create() =>
        new Command("epcis", "Supply-chain provenance on GS1 EPCIS 2.0: identifiers, event hashes, capture with per-event receipts, item state (docs/EPCIS.md).")
            .With(Item(), Hash(), Capture(), Receipt(), Verify(), State(), Role());

    private static Command Item()
    {
        var name = new Argument<string>("id") { Description = "A GS1 Digital Link URI, an EPC URN, or an element string such as (01)09506000134352(21)ABC123" };
        var prefix = new Option<int?>("--prefix-length") { Description = "The GS1 company prefix's length (6–12 digits), to write the EPC URN of an id given otherwise" };
        var resolver = new Option<string>("--resolver") { Description = "The Digital Link resolver to write the id on", DefaultValueFactory = _ => "https://id.gs1.org" };
        return new Command("item", "An item's, lot's, logistic unit's or location's GS1 identifier checked (check digit, characters) and written in each form: " +
                "element string, GS1 Digital Link, EPC URN.\n" +
                "Example: thingledger epcis item https://id.example.com/01/09506000134352/21/ABC123 --prefix-length 7\n" +
                "         thingledger epcis item urn:epc:id:sscc:0614141.1234567890")
            .With(name, prefix, resolver)
            .Runs((parse, cli, _) =>
            {
                var text = parse.GetValue(name)!;
                var view = Gs1Id.Parse(text, out var error) is { } id ? Gs1IdView.Of(id, text, parse.GetValue(prefix), parse.GetValue(resolver)!, out error) : null;
                if (view is null)
                {
                    throw new FormatException($"{error!.Code}: {error.Message}");
                }
                if (cli.Json)
                {
                    Output.Json(view);
                    return Task.FromResult(0);
                }
                Output.Fields($"{view.Kind.ToUpperInvariant()} {view.ElementString}", ("key", view.Key), ("qualifier", view.Qualifier), ("digital link", view.DigitalLink),
                    ("EPC URN", view.EpcUrn ?? "give --prefix-length (the GS1 company prefix's digits) to write it"));
                return Task.FromResult(0);
            });
    }

    private static Argument<string> FileArgument() => new("file") { Description = "An EPCIS 2.0 JSON-LD document" };

    private static Command Hash()
    {
        var file = FileArgument();
        var prehash = new Option<bool>("--prehash") { Description = "Print each event's pre-hash string (what is hashed) instead of its hash" };
        return new Command("hash", "The CBV 2.0 event hash of each event of an EPCIS document, one per line, in document order (ni:///sha-256;…?ver=CBV2.0).\n" +
                "Example: thingledger epcis hash shipment.jsonld")
            .With(file, prehash)
            .Runs((parse, cli, _) =>
            {
                var path = parse.GetValue(file)!;
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(File.ReadAllBytes(path));
                }
                catch (JsonException e)
                {
                    throw new FormatException($"{EpcisErrors.JsonInvalid}: {path} is not JSON: {e.Message}");
                }
                using (document)
                {
                    var events = EpcisEventHash.EventsOf(document.RootElement).ToList();
                    if (events.Count == 0)
                    {
                        throw new FormatException($"{EpcisErrors.DocumentInvalid}: {path} has no epcisBody.eventList with events");
                    }
                    var context = EpcisContext.Of(document.RootElement);
                    var lines = events.Select(e => EpcisEventHash.PreHash(e, context)).Select(p => parse.GetValue(prehash) ? p : EpcisEventHash.Hash(p)).ToList();
                    if (cli.Json)
                    {
                        Console.WriteLine(JsonSerializer.Serialize(lines.ToArray(), CliJsonContext.Default.StringArray));
                    }
                    else
                    {
                        lines.ForEach(Console.WriteLine);
                    }
                }
                return Task.FromResult(0);
            });
    }

    private static Command Capture()
    {
        var file = FileArgument();
        var signer = CommonOptions.As();
        return new Command("capture", "Capture an EPCIS 2.0 document at your organisation's node, signed by your member key: every event is checked " +
                "(identifiers, vocabulary, item rules), the capture stored, and each event's hash printed in document order; its receipt follows once anchored " +
                "(`epcis receipt HASH`).\nExample: thingledger epcis capture harvest.jsonld --as acme-admin")
            .With(file, signer)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var captured = await cli.Client.CaptureEpcisAsync(File.ReadAllBytes(parse.GetValue(file)!), account.Key, account.ChainId, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(captured);
                    return 0;
                }
                foreach (var hash in captured.EventHashes)
                {
                    Console.WriteLine(hash);
                }
                CliRunner.Success($"captured {captured.EventHashes.Count} events (capture {captured.Capture}); receipts follow once anchored, in about a second");
                return 0;
            });
    }

    private static Argument<string> HashArgument() => new("hash") { Description = "The event's hash, ni:///sha-256;<64 hex digits>?ver=CBV2.0 (or the 64 hex digits)" };

    private static async Task<ProofDocument> ReceiptAsync(CliContext cli, string hash, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await cli.Client.GetEpcisReceiptAsync(hash, ct).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
            if (attempt >= 20)
            {
                throw new TimeoutException($"{EpcisErrors.EventNotAnchored}: event {hash} is captured but not anchored after 10 s; is the node committing blocks?");
            }
            await Task.Delay(500, ct).ConfigureAwait(false);
        }
    }

    private static Command Receipt()
    {
        var hash = HashArgument();
        var output = new Option<string?>("--out") { Description = "Write the receipt to this file instead of standard output" };
        return new Command("receipt", "An event's receipt from the node that captured it (waiting up to 10 s for its anchor): check it offline with `thingledger verify FILE`.\n" +
                "Example: thingledger epcis receipt 'ni:///sha-256;…?ver=CBV2.0' --out bag-receipt.json")
            .With(hash, output)
            .Runs(async (parse, cli, ct) => ChainCommands.Emit(await ReceiptAsync(cli, parse.GetValue(hash)!, ct).ConfigureAwait(false), parse.GetValue(output)));
    }

    private static Command Verify()
    {
        var hash = HashArgument();
        return new Command("verify", "Fetch an event's receipt and check it here against the local genesis: the event's hash, the capturer's signature, " +
                "its anchor in a final block.\nExample: thingledger epcis verify 'ni:///sha-256;…?ver=CBV2.0'")
            .With(hash)
            .Runs(async (parse, cli, ct) =>
            {
                var receipt = await ReceiptAsync(cli, parse.GetValue(hash)!, ct).ConfigureAwait(false);
                var result = receipt.Verify(Node.DataDirectory.LoadGenesis(cli.DataDirectory));
                if (cli.Json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new VerifyOutput(result.Ok, result.Link, result.Message, receipt.Kind), CliJsonContext.Default.VerifyOutput));
                }
                else if (result.Ok)
                {
                    CliRunner.Success($"verified: {result.Message}");
                }
                else
                {
                    Console.Error.WriteLine($"broken link: {result.Link} — {result.Message}");
                }
                return result.Ok ? 0 : CliRunner.Refused;
            });
    }

    private static Command State()
    {
        var id = new Argument<string>("id") { Description = "The item's GS1 Digital Link, EPC URN, or canonical path" };
        return new Command("state", "An item's state on chain: status, commissioning, container, owner, last event, and its flags with their reasons.\n" +
                "Example: thingledger epcis state https://id.gs1.org/01/09506000134352/21/PACK-1")
            .With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var item = await cli.Client.GetEpcisItemAsync(parse.GetValue(id)!, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the chain has never seen {parse.GetValue(id)}");
                if (cli.Json)
                {
                    Output.Json(item);
                    return 0;
                }
                Output.Fields($"{item.DigitalLink}", ("status", item.Status), ("commissioned by", item.CommissionedBy), ("container", item.Container ?? "none"),
                    ("owner", item.Owner), ("last event", item.LastEvent), ("last place", item.LastLocation ?? "not given"), ("events", item.Events.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("flags", item.Flags.Count == 0 ? "none" : string.Join("\n", item.Flags.Select(f => $"{f.Code}: {f.Reason}"))));
                return 0;
            });
    }

    private static Command Role()
    {
        var change = new Argument<string>("change") { Description = "grant or revoke" };
        var org = new Argument<string>("org") { Description = "The organisation" };
        var role = new Argument<string>("role") { Description = "capture, customs or inspection" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("role", "Approve granting (or revoking) an epcis role to an organisation, as an admin of a validating organisation; it takes effect when a quorum of them approved.\n" +
                "Example: thingledger epcis role grant customs-hk customs --as acme-admin")
            .With(change, org, role, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var grant = parse.GetValue(change) switch { "grant" => true, "revoke" => false, var other => throw new FormatException($"'{other}' is not grant or revoke") };
                var parsed = EpcisRoles.Parse(parse.GetValue(role));
                if (parsed == EpcisRole.None)
                {
                    throw new FormatException($"{EpcisErrors.RoleInvalid}: '{parse.GetValue(role)}' is not capture, customs or inspection");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (code, _) = await cli.SubmitAsync(account, Client.Operations.EpcisRole(parse.GetValue(org)!, parsed, grant),
                    parse.GetValue(noWait), ct).ConfigureAwait(false);
                return code;
            });
    }
}

/// <summary>The epcis module's commands; its receipts are checked by `thingledger verify`.</summary>
internal sealed class EpcisCli : CliModule
{
    public EpcisCli() => EpcisReceipt.Register();

    public override string Module => EpcisModule.ModuleName;

    public override IEnumerable<Command> Commands() => [EpcisCommands.Create()];
}

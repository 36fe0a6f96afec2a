using System.CommandLine;
using System.Text.Json;
using ThingLedger.Cli.Modules;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Cli.Commands;

/// <summary>epcis item|hash|capture|receipt|verify|state|query|trace|journey|bundle|location|tag|tap|role (docs/EPCIS.md).</summary>
internal static class EpcisCommands
{
    public static Command Create() =>
        new Command("epcis", "Supply-chain provenance on GS1 EPCIS 2.0: identifiers, event hashes, capture with per-event receipts, item state (docs/EPCIS.md).")
            .With(Item(), Hash(), Capture(), Receipt(), Verify(), State(), Query(), Trace(), Journey(), Bundle(), Location(), TagItem(), Tap(), Role());

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
        var report = new Option<bool>("--report") { Description = "Report what you saw: events that break an item rule (a second dispense, a clone's serial) are stored and their items flagged publicly, instead of refusing the capture" };
        return new Command("capture", "Capture an EPCIS 2.0 document at your organisation's node, signed by your member key: every event is checked " +
                "(identifiers, vocabulary, item rules), the capture stored, and each event's hash printed in document order; its receipt follows once anchored " +
                "(`epcis receipt HASH`).\nExample: thingledger epcis capture harvest.jsonld --as acme-admin\n         thingledger epcis capture second-dispense.jsonld --as pharmacy-admin --report")
            .With(file, signer, report)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var captured = await cli.Client.CaptureEpcisAsync(File.ReadAllBytes(parse.GetValue(file)!), account.Key, account.ChainId, ct, parse.GetValue(report)).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(captured);
                    return 0;
                }
                foreach (var hash in captured.EventHashes)
                {
                    Console.WriteLine(hash);
                }
                foreach (var suspect in captured.Suspect ?? [])
                {
                    Console.Error.WriteLine($"reported {suspect.Code}: {suspect.Message} (its items are flagged once anchored)");
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

    private static Command Query()
    {
        var epc = new Option<string?>("--epc") { Description = "Events naming this identifier as an item, parent, input or output (MATCH_anyEPC); a Digital Link, EPC URN or urn:epc:idpat:sgtin:…*" };
        var type = new Option<string?>("--type") { Description = "Event types, comma-separated (eventType): ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent" };
        var bizStep = new Option<string?>("--biz-step") { Description = "CBV business steps, comma-separated (EQ_bizStep): shipping, receiving, …" };
        var from = new Option<string?>("--from") { Description = "Events at or after this time (GE_eventTime), e.g. 2026-12-01T00:00:00Z" };
        var to = new Option<string?>("--to") { Description = "Events before this time (LT_eventTime)" };
        var where = new Option<string[]>("--where") { Description = "Any other EPCIS query parameter as NAME=VALUE (repeatable), e.g. EQ_bizLocation=urn:epc:id:sgln:0614141.00888.0" };
        var perPage = new Option<int>("--per-page") { Description = "Events per page (1–1000)", DefaultValueFactory = _ => 100 };
        var all = new Option<bool>("--all") { Description = "Follow every page to the last" };
        return new Command("query", "The EPCIS 2.0 query interface of your node over the events it captured, oldest record first: one line per event " +
                "(time, type, action, business step, hash), or the EPCISQueryDocument with --json.\n" +
                "Example: thingledger epcis query --epc https://id.gs1.org/01/09506000134352/21/BAG-1 --biz-step shipping,receiving")
            .With(epc, type, bizStep, from, to, where, perPage, all)
            .Runs(async (parse, cli, ct) =>
            {
                var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["perPage"] = parse.GetValue(perPage).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                foreach (var (option, name) in new[] { (epc, "MATCH_anyEPC"), (type, "eventType"), (bizStep, "EQ_bizStep"), (from, "GE_eventTime"), (to, "LT_eventTime") })
                {
                    if (parse.GetValue(option) is { } value)
                    {
                        parameters[name] = value;
                    }
                }
                foreach (var pair in parse.GetValue(where) ?? [])
                {
                    var at = pair.IndexOf('=', StringComparison.Ordinal);
                    if (at <= 0)
                    {
                        throw new FormatException($"{EpcisErrors.QueryInvalid}: --where '{pair}' is not NAME=VALUE");
                    }
                    parameters[pair[..at]] = pair[(at + 1)..];
                }
                var count = 0;
                do
                {
                    var (document, next) = await cli.Client.QueryEpcisEventsAsync(parameters, ct).ConfigureAwait(false);
                    var events = document.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList");
                    if (cli.Json)
                    {
                        Console.WriteLine(document.GetRawText());
                    }
                    else
                    {
                        var hashes = EpcisEventHash.HashDocument(document);
                        var i = 0;
                        foreach (var e in events.EnumerateArray())
                        {
                            string Get(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "-";
                            Console.WriteLine($"{Get("eventTime"),-30} {Get("type"),-20} {Get("action"),-8} {Get("bizStep"),-16} {hashes[i++]}");
                        }
                    }
                    count += events.GetArrayLength();
                    if (next is null || !parse.GetValue(all))
                    {
                        if (!cli.Json)
                        {
                            CliRunner.Success($"{count} events" + (next is null ? string.Empty : " (more follow: --all)"));
                        }
                        break;
                    }
                    parameters["nextPageToken"] = next;
                }
                while (true);
                return 0;
            });
    }

    private static Command Trace()
    {
        var id = new Argument<string>("id") { Description = "An item, lot or logistic unit: its GS1 Digital Link, EPC URN, or canonical path" };
        var forward = new Option<bool>("--forward") { Description = "Where it went (contents, what was made from it) instead of where it came from" };
        return new Command("trace", "Trace an identifier over every anchored event of the chain: back to the containers it travelled in and the lots it was made from, " +
                "or --forward to what it contained and what was made from it; every identifier reached, then every event naming any of them, oldest first.\n" +
                "Example: thingledger epcis trace https://id.gs1.org/01/09506000134352/21/BAG-1\n" +
                "         thingledger epcis trace urn:epc:class:lgtin:9506000.013435.PADDY-7 --forward")
            .With(id, forward)
            .Runs(async (parse, cli, ct) =>
            {
                var trace = await cli.Client.GetEpcisTraceAsync(parse.GetValue(id)!, parse.GetValue(forward) ? "forward" : "back", ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(trace);
                    return 0;
                }
                Console.WriteLine(trace.Id);
                foreach (var link in trace.Reached)
                {
                    Console.WriteLine($"{new string(' ', link.Depth * 2)}{link.Relation} {link.Id}");
                }
                Console.WriteLine();
                foreach (var step in trace.Events)
                {
                    var time = DateTimeOffset.FromUnixTimeMilliseconds((long)step.TimeMs).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    Console.WriteLine($"{time}  {step.Org,-14} {step.Type,-20} {step.BizStep ?? "-",-16} {step.Location ?? "-"}{(step.SensorAlarm ? "  SENSOR ALARM" : string.Empty)}");
                }
                CliRunner.Success($"{trace.Reached.Count} identifiers reached, {trace.Events.Count} events" + (trace.Truncated ? " (truncated: the trace reached its limits)" : string.Empty));
                return 0;
            });
    }

    private static Command Journey()
    {
        var id = new Argument<string>("id") { Description = "The item's GS1 Digital Link, EPC URN, or canonical path" };
        return new Command("journey", "An item's public journey: its state and flags, what it travelled in and was made from, and every event, each with the verdict of its receipt.\n" +
                "Example: thingledger epcis journey https://id.gs1.org/01/09506000134352/21/BAG-1")
            .With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var journey = await cli.Client.GetEpcisJourneyAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(journey);
                    return 0;
                }
                Console.WriteLine($"{journey.DigitalLink}  {journey.Item?.Status ?? "not on chain"}");
                foreach (var flag in journey.Item?.Flags ?? [])
                {
                    Console.WriteLine($"FLAGGED {flag.Code}: {flag.Reason}");
                }
                foreach (var step in journey.Steps)
                {
                    var e = step.Event;
                    var time = DateTimeOffset.FromUnixTimeMilliseconds((long)e.TimeMs).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                    Console.WriteLine($"{(step.Verified ? "✓" : "✗")} {time}  {e.Org,-14} {e.Type,-20} {e.BizStep ?? "-",-16} {e.Location ?? "-"}{(e.SensorAlarm ? "  SENSOR ALARM" : string.Empty)}");
                }
                var verified = journey.Steps.Count(s => s.Verified);
                CliRunner.Success($"{verified} of {journey.Steps.Count} events verified" + ((journey.Item?.Flags.Count ?? 0) > 0 ? "; the item is flagged" : string.Empty));
                return 0;
            });
    }

    private static Command Bundle()
    {
        var id = new Argument<string>("id") { Description = "The item's GS1 Digital Link, EPC URN, or canonical path" };
        var output = new Option<string>("--out") { Description = "The file to write the bundle to", Required = true };
        return new Command("bundle", "Download the receipts of every event of an item's journey as one proof bundle, to check offline with `thingledger verify FILE`.\n" +
                "Example: thingledger epcis bundle https://id.gs1.org/01/09506000134352/21/BAG-1 --out bag-1.json")
            .With(id, output)
            .Runs(async (parse, cli, ct) =>
            {
                var bundle = await cli.Client.GetEpcisBundleAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
                File.WriteAllText(parse.GetValue(output)!, bundle.ToJson());
                CliRunner.Success($"wrote {parse.GetValue(output)} ({bundle.Proofs.Count} receipts about {bundle.Subject})");
                return 0;
            });
    }

    private static Command Location()
    {
        var id = new Argument<string>("location") { Description = "The location's SGLN: a Digital Link (…/414/{gln}[/254/{ext}]), an EPC URN (urn:epc:id:sgln:…) or an element string" };
        var country = new Option<string>("--country") { Description = "Its country, ISO 3166-1 alpha-2 (CN, HK, DE …)", Required = true };
        var lat = new Option<decimal>("--lat") { Description = "Latitude in degrees, −90 to 90", Required = true };
        var lon = new Option<decimal>("--lon") { Description = "Longitude in degrees, −180 to 180", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("location", "Register (or move) a location of your organisation with its country and position: events there then know their country " +
                "(customs clearance across borders) and where they are (an item seen faster than travel allows is a clone).\n" +
                "Example: thingledger epcis location urn:epc:id:sgln:9506000.00010.0 --country CN --lat 31.2304 --lon 121.4737 --as acme-admin")
            .With(id, country, lat, lon, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var canonical = EpcisDocumentReader.CanonicalId(parse.GetValue(id)!, out var error) ?? throw new FormatException($"{error!.Code}: {error.Message}");
                if (!canonical.StartsWith("/414/", StringComparison.Ordinal))
                {
                    throw new FormatException($"{EpcisErrors.LocationInvalid}: '{parse.GetValue(id)}' is not a location (an SGLN: a GLN with its extension)");
                }
                static int Micro(decimal degrees) => (int)decimal.Round(degrees * 1_000_000m, MidpointRounding.AwayFromZero);
                var (latE6, lonE6) = (Micro(parse.GetValue(lat)), Micro(parse.GetValue(lon)));
                var code = parse.GetValue(country)!.ToUpperInvariant();
                if (!ItemPlaces.IsCountry(code) || !ItemPlaces.IsPosition(latE6, lonE6))
                {
                    throw new FormatException($"{EpcisErrors.LocationInvalid}: --country is two letters (ISO 3166-1 alpha-2), --lat −90…90, --lon −180…180");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (result, _) = await cli.SubmitAsync(account, Client.Operations.EpcisLocation(canonical, code, latE6, lonE6), parse.GetValue(noWait), ct).ConfigureAwait(false);
                return result;
            });
    }

    private static Argument<string> ItemArgument() => new("id") { Description = "The item's GS1 Digital Link, EPC URN, or canonical path" };

    private static Command TagItem()
    {
        var id = ItemArgument();
        var device = new Argument<string>("tag") { Description = "The tag: a device your organisation registered (its id tl…, or its key's name)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("tag", "Bind an item your organisation commissioned to the NFC or secure-element tag it carries, registered as a device: anyone can then tap it to verify.\n" +
                "Example: thingledger epcis tag urn:epc:id:sgtin:9506000.013435.PACK-1 pack1-tag --as pharma-admin")
            .With(id, device, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var canonical = EpcisDocumentReader.CanonicalId(parse.GetValue(id)!, out var error) ?? throw new FormatException($"{error!.Code}: {error.Message}");
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (code, _) = await cli.SubmitAsync(account, Client.Operations.EpcisTag(canonical, cli.ResolveAddress(parse.GetValue(device)!)), parse.GetValue(noWait), ct).ConfigureAwait(false);
                return code;
            });
    }

    private static Command Tap()
    {
        var id = ItemArgument();
        var tag = new Option<string>("--tag") { Description = "The tag's key (a key name in <data>/keys or a PEM file), standing in for the tag's secure element", Required = true };
        return new Command("tap", "Tap an item to verify it: the node gives a fresh challenge, the tag signs it with its key, and the node checks the signature against the tag bound to the item on chain.\n" +
                "Example: thingledger epcis tap https://id.gs1.org/01/09506000134352/21/PACK-1 --tag pack1-tag")
            .With(id, tag)
            .Runs(async (parse, cli, ct) =>
            {
                using var key = cli.ResolveKeyPair(parse.GetValue(tag)!) ?? throw new FormatException($"--tag '{parse.GetValue(tag)}' is not a key name in {cli.DataDirectory}/keys or a PEM file with a private key");
                var challenge = await cli.Client.GetEpcisChallengeAsync(parse.GetValue(id)!, ct).ConfigureAwait(false);
                var status = await cli.Client.GetStatusAsync(ct).ConfigureAwait(false);
                var signature = key.Sign(EpcisTap.Digest(status.ChainId, challenge.Id, Convert.FromHexString(challenge.Challenge)));
                var tapped = await cli.Client.TapEpcisAsync(challenge.Id, challenge.Challenge, signature, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(tapped);
                    return 0;
                }
                CliRunner.Success(tapped.Message);
                if (tapped.Item is { } item)
                {
                    Console.WriteLine($"{item.DigitalLink}: {item.Status}{(item.Flags.Count > 0 ? $", FLAGGED {string.Join(", ", item.Flags.Select(f => f.Code))}" : string.Empty)}");
                }
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

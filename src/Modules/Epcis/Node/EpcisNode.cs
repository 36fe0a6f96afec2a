using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Api;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>The epcis module's node part: GS1 identifiers, capture of EPCIS documents (stored here, anchored by <see cref="EpcisAnchorer"/>), receipts and items.</summary>
internal sealed class EpcisNode : NodeModule
{
    public const string DefaultResolver = "https://id.gs1.org";

    public override string Module => EpcisModule.ModuleName;

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/epcis", "Provenance")];

    /// <summary>An item, lot or logistic unit named by a search (a Digital Link or an EPC URN) that an anchored event names.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        (term.StartsWith("urn:epc:", StringComparison.Ordinal) || term.StartsWith("http", StringComparison.Ordinal)) && EpcisDocumentReader.CanonicalId(term, out _) is { } id &&
        services.GetRequiredService<EpcisChainFollower>().Index.Knows(id) ? Href(id) : null;

    /// <summary>The explorer's page of an identifier: its own Digital Link path on this node for an item, lot or logistic unit, else the journey page with the id.</summary>
    public static string Href(string id) => id.Split('/') is ["", "01", _, "21" or "10", _] or ["", "00", _] ? id : $"/epcis/items?id={Uri.EscapeDataString(id)}";

    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<EpcisCapture>();
        services.AddSingleton<EpcisAnchorer>();
        services.AddHostedService(provider => provider.GetRequiredService<EpcisAnchorer>());
        services.AddSingleton<EpcisTaps>();
        services.AddSingleton<EpcisChainFollower>();
        services.AddHostedService(provider => provider.GetRequiredService<EpcisChainFollower>());
    }

    public override void MapApi(RouteGroupBuilder v1)
    {
        var epcis = v1.MapGroup("/epcis").WithTags("EPCIS");
        epcis.MapGet("/identifiers", Identifier).WithName("GetGs1Identifier")
            .WithSummary("A GS1 identifier (Digital Link, EPC URN or element string) checked and written in each form; a malformed one is refused with its EPCIS_ code.");
        epcis.MapPost("/capture", Capture).WithName("EpcisCapture").Accepts<string>("application/ld+json", "application/json")
            .WithSummary("An EPCIS 2.0 JSON-LD document, signed by a member of this node's organisation (headers " + ThingLedgerClient.CaptureKeyHeader + " and " +
                ThingLedgerClient.CaptureSignatureHeader + "): every event checked, the capture stored durably, each event's hash returned in document order. All or nothing.");
        epcis.MapGet("/receipts", Receipt).WithName("GetEpcisReceipt")
            .WithSummary("An event's receipt (hash=ni:///sha-256;…?ver=CBV2.0 or 64 hex digits): capture signature, paths and the anchor tx's finality; verifiable offline with the genesis file.");
        epcis.MapGet("/events", Events).WithName("EpcisQueryEvents").Produces<string>(StatusCodes.Status200OK, "application/ld+json")
            .WithSummary("EPCIS 2.0 query over the events this node captured: eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep, EQ_disposition, " +
                "EQ_bizLocation, EQ_readPoint, MATCH_epc, MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC, MATCH_anyEPC, MATCH_*EPCClass, perPage, nextPageToken (Link rel=next).");
        epcis.MapGet("/trace", Trace).WithName("GetEpcisTrace")
            .WithSummary("A trace over every anchored event of the chain: direction=back (containers it was in, inputs it was made from) or forward (contents, what was made from it), recursively.");
        epcis.MapGet("/journey", Journey).WithName("GetEpcisJourney")
            .WithSummary("An item's public journey, no account needed: its state, what it travelled in and was made from, and every event of them with the verdict of its receipt.");
        epcis.MapGet("/bundle", Bundle).WithName("GetEpcisBundle")
            .WithSummary("The receipts of every event of an item's journey as one proof bundle (thingledger/proof-bundle/v1), checked offline by `thingledger verify FILE`.");
        epcis.MapPost("/challenges", Challenge).WithName("EpcisChallenge")
            .WithSummary("A fresh challenge for tapping an item (id): 32 random bytes its tag signs with its key, good once for two minutes.");
        epcis.MapPost("/taps", Tap).WithName("EpcisTap")
            .WithSummary("Tap-to-verify: the item, the challenge, the tag's signature; genuine when it verifies with the key of the tag bound to the item on chain.");
        epcis.MapGet("/items", Item).WithName("GetEpcisItem")
            .WithSummary("An item's state on chain (id as Digital Link, EPC URN or canonical path): status, container, owner, last event, flags with their reasons. No account needed.");
    }

    private static Results<Ok<Gs1IdView>, ProblemHttpResult> Identifier(string? id, int? prefixLength, string? resolver)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Problems.BadRequest("give id: a GS1 Digital Link URI, an EPC URN or an element string");
        }
        if (Gs1Id.Parse(id, out var error) is not { } parsed || Gs1IdView.Of(parsed, id, prefixLength, resolver ?? DefaultResolver, out error) is not { } view)
        {
            return Problems.Of(error!.Code, error.Message);
        }
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Created<EpcisCaptureView>, ProblemHttpResult>> Capture(HttpRequest request, string? report, LedgerNode node, EpcisCapture capture, DiskWatch disk)
    {
        if (report is not (null or "true" or "false"))
        {
            return Problems.BadRequest($"report '{report}' is not true or false");
        }
        if (node.Fault is { } fault)
        {
            return Problems.Of(ErrorCodes.NodeUnavailable, fault);
        }
        var signatures = new List<byte[]>();
        foreach (var text in (request.Headers[ThingLedgerClient.CaptureSignatureHeader].FirstOrDefault() ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            signatures.Add(Core.Codec.Hex.TryDecode(text, out var bytes) && bytes.Length == 64 ? bytes : []);
        }
        if (!PublicKey.TryParseHex(request.Headers[ThingLedgerClient.CaptureKeyHeader].FirstOrDefault(), out var key) || signatures.Count == 0 || signatures.Any(s => s.Length == 0))
        {
            return Problems.Of(EpcisErrors.SignatureInvalid,
                $"a capture names its capturer's public key in {ThingLedgerClient.CaptureKeyHeader} (130 hex digits) and carries one signature per chunk of its events in {ThingLedgerClient.CaptureSignatureHeader} (128 hex digits each, comma-separated)");
        }
        CaptureOutcome outcome;
        using (var body = await PooledBody.ReadAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            try
            {
                outcome = capture.Capture(body.Span, key!, signatures, report == "true");
            }
            catch (StorageException e)
            {
                node.ReportStorageFailure(e, disk);
                return Problems.Of(ErrorCodes.NodeUnavailable, $"{e.Message}; nothing of this capture was stored, send it again later");
            }
        }
        if (!outcome.Ok)
        {
            var first = outcome.Errors[0];
            var extensions = new Dictionary<string, object?>
            {
                ["code"] = first.Code,
                ["errors"] = outcome.Errors.Select(e => new Dictionary<string, object?> { ["index"] = e.Index, ["code"] = e.Code, ["message"] = e.Message }).ToList(),
            };
            var status = first.Code is EpcisErrors.DocumentTooLarge ? StatusCodes.Status413PayloadTooLarge
                : first.Code is EpcisErrors.NotMember or EpcisErrors.RoleMissing or EpcisErrors.NotCustodian ? StatusCodes.Status403Forbidden
                : first.Code is EpcisErrors.SignatureInvalid ? StatusCodes.Status422UnprocessableEntity
                : StatusCodes.Status400BadRequest;
            return TypedResults.Problem(detail: string.Join("; ", outcome.Errors.Select(e => e.Message)), statusCode: status, title: first.Code, extensions: extensions);
        }
        return TypedResults.Created($"/v1/epcis/receipts?hash={Uri.EscapeDataString(outcome.Hashes[0])}", new EpcisCaptureView(outcome.Capture, outcome.First, outcome.Hashes,
            outcome.Suspect.Count == 0 ? null : [.. outcome.Suspect.Select(s => new EpcisSuspectView(s.Index, s.Code, s.Message))]));
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Receipt(string? hash, LedgerNode node, EpcisCapture capture, EpcisChainFollower chain)
    {
        var digest = hash is null ? null : EpcisEventHash.Digest(hash) ?? (Hash.TryParse(hash, out var h) ? h.ToArray() : null);
        if (digest is null)
        {
            return Problems.BadRequest("give hash: an event hash ni:///sha-256;<64 hex digits>?ver=CBV2.0, or the 64 hex digits");
        }
        var (receipt, code, message) = EpcisReceiptBuilder.Build(node, capture.Store, chain.Index, new Hash(digest));
        if (receipt is null)
        {
            return Problem(code!, message!, code == EpcisErrors.EventNotAnchored ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound);
        }
        return TypedResults.Text(receipt.ToJson(), "application/json");
    }

    private static IResult Events(HttpContext http, EpcisCapture capture)
    {
        var parameters = http.Request.Query.ToDictionary(q => q.Key, q => string.Join(',', q.Value.Where(v => v is not null)), StringComparer.Ordinal);
        EpcisQuery query;
        try
        {
            query = EpcisQuery.Parse(parameters);
        }
        catch (EpcisQueryException e)
        {
            return Problems.Of(EpcisErrors.QueryInvalid, e.Message);
        }
        var (events, more) = query.Run(capture.Store);
        http.Response.Headers["GS1-EPCIS-Version"] = "2.0.0";
        http.Response.Headers["GS1-CBV-Version"] = "2.0.0";
        if (more)
        {
            parameters["nextPageToken"] = events[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["perPage"] = query.PerPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var next = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}?{next}>; rel=\"next\"";
        }
        return TypedResults.Text(EpcisQuery.Document(events, capture.Store.Capture), "application/ld+json");
    }

    private static async Task<Results<Ok<EpcisTraceView>, ProblemHttpResult>> Trace(string? id, string? direction, EpcisChainFollower chain, CancellationToken cancellationToken)
    {
        if (Canonical(id, out var problem) is not { } canonical)
        {
            return problem!;
        }
        if (direction is not (null or "back" or "forward"))
        {
            return Problems.Of(EpcisErrors.QueryInvalid, $"direction '{direction}' is not back (where it came from) or forward (where it went)");
        }
        await chain.CatchUpAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(EpcisTrace.Walk(chain.Index, canonical, direction == "forward"));
    }

    private static async Task<Results<Ok<EpcisJourneyView>, ProblemHttpResult>> Journey(string? id, LedgerNode node, EpcisCapture capture, EpcisChainFollower chain,
        CancellationToken cancellationToken)
    {
        if (Canonical(id, out var problem) is not { } canonical)
        {
            return problem!;
        }
        await chain.CatchUpAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var (view, _) = EpcisJourney.Build(node, capture.Store, chain.Index, canonical);
        return view.Steps.Count == 0 && view.Item is null ? Problems.Of(ErrorCodes.NotFound, $"the chain has never seen {id}: no anchored event names it") : TypedResults.Ok(view);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Bundle(string? id, HttpContext http, LedgerNode node, EpcisCapture capture, EpcisChainFollower chain,
        CancellationToken cancellationToken)
    {
        if (Canonical(id, out var problem) is not { } canonical)
        {
            return problem!;
        }
        await chain.CatchUpAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        var (view, receipts) = EpcisJourney.Build(node, capture.Store, chain.Index, canonical);
        if (receipts.Count == 0)
        {
            return Problems.Of(ErrorCodes.NotFound, $"no anchored event names {id}, so there is nothing to prove yet");
        }
        var name = string.Concat(view.Id.Where(char.IsAsciiLetterOrDigit));
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"journey-{name}.json\"";
        return TypedResults.Text(new Core.Verification.ProofBundle { Subject = view.DigitalLink, Proofs = receipts }.ToJson(), "application/json");
    }

    private static Results<Ok<EpcisChallengeView>, ProblemHttpResult> Challenge(string? id, LedgerNode node, EpcisTaps taps)
    {
        if (Canonical(id, out var problem) is not { } canonical)
        {
            return problem!;
        }
        if (EpcisModule.ReadTag(node.Store, canonical) is null)
        {
            return Problem(EpcisErrors.NoTag, $"no tag is bound to {id} on chain; it cannot be tapped to verify", StatusCodes.Status404NotFound);
        }
        return taps.Challenge(canonical) is { } issued
            ? TypedResults.Ok(new EpcisChallengeView(canonical, Convert.ToHexStringLower(issued.Challenge), issued.ExpiresMs))
            : Problem(EpcisErrors.TooManyChallenges, $"{EpcisTaps.MaxOpenChallenges} challenges are open; try again in a moment", StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Results<Ok<EpcisTapView>, ProblemHttpResult>> Tap(HttpRequest request, LedgerNode node, EpcisTaps taps)
    {
        EpcisTapRequest? tap;
        ProblemHttpResult? problem = null;
        try
        {
            tap = await System.Text.Json.JsonSerializer.DeserializeAsync(request.Body, EpcisJson.Default.EpcisTapRequest, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Problems.BadRequest($"the tap is not JSON {{id, challenge, signature}}: {e.Message}");
        }
        if (tap is null || Canonical(tap.Id, out problem) is not { } canonical)
        {
            return problem ?? Problems.BadRequest("give {id, challenge, signature}");
        }
        if (!Core.Codec.Hex.TryDecode(tap.Challenge, out var challenge) || challenge.Length != EpcisTap.ChallengeBytes ||
            !Core.Codec.Hex.TryDecode(tap.Signature, out var signature) || signature.Length != 64)
        {
            return Problems.Of(EpcisErrors.TapInvalid, "challenge is 64 hex digits (the node's), signature 128 (r ‖ s of the tag's ECDSA P-256 signature)");
        }
        var outcome = taps.Tap(canonical, tap.Challenge, signature);
        if (!outcome.Genuine)
        {
            var status = outcome.Code == EpcisErrors.TapInvalid ? StatusCodes.Status422UnprocessableEntity : outcome.Code == EpcisErrors.NoTag ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
            return Problem(outcome.Code!, outcome.Message, status);
        }
        var item = EpcisModule.ReadItem(node.Store, canonical) is { } record ? View(node, record) : null;
        return TypedResults.Ok(new EpcisTapView(true, outcome.Message, outcome.Device!.Value.ToString(), item));
    }

    /// <summary>A problem document with the module's code and the status it answers with.</summary>
    private static ProblemHttpResult Problem(string code, string message, int status) =>
        TypedResults.Problem(detail: message, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>An identifier given as a Digital Link, an EPC URN or a canonical path, as the chain keeps it; or the problem to answer.</summary>
    private static string? Canonical(string? id, out ProblemHttpResult? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            problem = Problems.BadRequest("give id: the item's GS1 Digital Link, EPC URN, or canonical path (/01/…/21/…)");
            return null;
        }
        Gs1Error? error = null;
        var canonical = id.StartsWith('/') ? id : EpcisDocumentReader.CanonicalId(id, out error);
        if (canonical is null)
        {
            problem = Problems.Of(error!.Code, error.Message);
        }
        return canonical;
    }

    private static Results<Ok<EpcisItemView>, ProblemHttpResult> Item(string? id, LedgerNode node)
    {
        if (Canonical(id, out var problem) is not { } canonical)
        {
            return problem!;
        }
        if (EpcisModule.ReadItem(node.Store, canonical) is not { } item)
        {
            return Problems.Of(ErrorCodes.NotFound, $"the chain has never seen {id}: no event names it");
        }
        return TypedResults.Ok(View(node, item));
    }

    internal static EpcisItemView View(LedgerNode node, ItemRecord item) => new(item.Id, item.Id.StartsWith('/') ? Gs1Canonical.Root + item.Id : item.Id,
        item.Status == 0 ? "unknown" : item.Status.ToString().ToLowerInvariant(), item.CommissionedBy, item.CommissionedMs, item.Container.Length == 0 ? null : item.Container,
        item.Owner, $"ni:///sha-256;{item.LastEvent}?ver={EpcisEventHash.Version}", item.LastMs, item.LastLocation.Length == 0 ? null : item.LastLocation, item.LastOrg, item.Events,
        [.. EpcisModule.ReadFlags(node.Store, item).Select(f => new EpcisFlagView(f.Code, f.Reason, $"ni:///sha-256;{f.Event}?ver={EpcisEventHash.Version}", f.Height))]);
}

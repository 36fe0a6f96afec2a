using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Client.Credentials;
using ThingLedger.Execution.Modules.Credentials;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Credentials;

/// <summary>The credentials module's node part: DID resolution (W3C DID Resolution HTTP binding), the trust registry, status lists, trust bundles.</summary>
internal sealed class CredentialsNode : NodeModule
{
    public const string ResolutionContext = "https://w3id.org/did-resolution/v1";

    public override string Module => CredentialsNames.ModuleName;

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/id", "Identity")];

    public override void AddServices(IServiceCollection services) => services.AddSingleton<CredentialsQueries>();

    public override void MapApi(RouteGroupBuilder v1)
    {
        v1.MapGet("/identifiers/{did}", Resolve).WithTags("Identity").WithName("ResolveDid")
            .WithSummary("W3C DID Resolution: the DID resolution result of a did:thingledger DID (a device's address resolves too); with Accept: application/did+ld+json or application/did+json the document alone; ?versionTime= (RFC 3339) resolves the document as it was then. Errors: invalidDid 400, notFound 404; a deactivated DID answers 410.");
        var id = v1.MapGroup("/credentials").WithTags("Identity");
        id.MapGet("/dids/{did}", Did).WithName("GetDid")
            .WithSummary("A DID (or a device's address) with its document, every key it ever had with the times it was added and removed, and its accreditations.");
        id.MapGet("/schemas/{type}", Schema).WithName("GetCredentialSchema").WithSummary("A credential type's schema: its claims, each disclosable or fixed.");
        id.MapGet("/registry", (CredentialsQueries q) => TypedResults.Ok(q.Registry())).WithName("GetTrustRegistry")
            .WithSummary("The trust registry: every accreditation with its periods, every accreditation proposal with its approvals, every schema.");
        id.MapGet("/status", (CredentialsQueries q) => TypedResults.Ok(q.AllStatusLists())).WithName("ListStatusLists")
            .WithSummary("Every status list: issuer, purpose, size and how many entries are set (counts only).");
        id.MapGet("/status/{issuer}/{name}", StatusList).WithName("GetStatusList")
            .WithSummary("A status list at the head; ?encoded=true adds encodedList, the multibase base64url of the GZIP-compressed bitstring (Bitstring Status List).");
        id.MapGet("/trust", Trust).WithName("GetTrustBundle")
            .WithSummary("A proof bundle of the state a verifier needs to check credentials offline: ?issuer=DID&kid=fragment&type=T and one status= per credentialStatus entry id; each proof is of a key's value or absence at the head.");
    }

    /// <summary>A DID, or a did:thingledger DID URL, opens the identity page.</summary>
    public override string? Find(IServiceProvider services, string term) =>
        CredentialRules.TryParseDid(term, out var address) && services.GetRequiredService<CredentialsQueries>().Did(address) is not null ? $"/id/{address}" : null;

    private static IResult Resolve(string did, string? versionTime, HttpContext context, CredentialsQueries credentials)
    {
        var accept = context.Request.Headers.Accept.ToString();
        var documentOnly = accept.Contains("application/did+ld+json", StringComparison.OrdinalIgnoreCase) || accept.Contains("application/did+json", StringComparison.OrdinalIgnoreCase);
        var contentType = accept.Contains("application/did+json", StringComparison.OrdinalIgnoreCase) ? "application/did+json" : "application/did+ld+json";
        ulong? at = null;
        if (versionTime is not null)
        {
            if (!DateTimeOffset.TryParse(versionTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) || time.ToUnixTimeMilliseconds() < 0)
            {
                return Answer(null, new DidResolutionMetadataView(null, "invalidDidUrl", $"versionTime '{versionTime}' is not an RFC 3339 time"), StatusCodes.Status400BadRequest);
            }
            at = (ulong)time.ToUnixTimeMilliseconds();
        }
        if (!CredentialRules.TryParseDid(did, out var address))
        {
            return Answer(null, new DidResolutionMetadataView(null, "invalidDid", $"'{did}' is not a did:thingledger DID (did:thingledger:tl…)"), StatusCodes.Status400BadRequest);
        }
        if (credentials.Did(address, at) is not { } view)
        {
            return Answer(null, new DidResolutionMetadataView(null, "notFound", $"no DID or device {address} on this chain"), StatusCodes.Status404NotFound);
        }
        var status = view.Metadata.Deactivated == true ? StatusCodes.Status410Gone : StatusCodes.Status200OK;
        if (documentOnly)
        {
            return Results.Text(JsonSerializer.Serialize(view.Document, CredentialsJson.Default.DidDocumentView), contentType, System.Text.Encoding.UTF8, status);
        }
        return Answer(view, new DidResolutionMetadataView(contentType, null, null), status);
    }

    private static IResult Answer(DidView? view, DidResolutionMetadataView metadata, int status) =>
        Results.Text(JsonSerializer.Serialize(new DidResolutionView(ResolutionContext, view?.Document, metadata, view?.Metadata ?? new(null, null, null, null)), CredentialsJson.Default.DidResolutionView),
            "application/did-resolution", System.Text.Encoding.UTF8, status);

    private static Results<Ok<DidView>, ProblemHttpResult> Did(string did, CredentialsQueries credentials)
    {
        if (!CredentialRules.TryParseDidOrAddress(did, out var address))
        {
            return Problems.Of(CredentialsErrors.DidInvalid, $"'{did}' is not a did:thingledger DID or an address");
        }
        return credentials.Did(address) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no DID or device {address}");
    }

    private static Results<Ok<CredentialSchemaView>, ProblemHttpResult> Schema(string type, CredentialsQueries credentials) =>
        credentials.Schema(type) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no schema for credential type '{type}'");

    private static Results<Ok<StatusListView>, ProblemHttpResult> StatusList(string issuer, string name, bool? encoded, CredentialsQueries credentials)
    {
        if (!CredentialRules.TryParseDidOrAddress(issuer, out var address) || !CredentialRules.IsListName(name))
        {
            return Problems.Of(CredentialsErrors.StatusListInvalid, "a status list is named by its issuer (DID or address) and its name");
        }
        return credentials.StatusList(address, name, encoded == true) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"no status list {CredentialRules.StatusListUrl(address, name)}");
    }

    private static IResult Trust(string? issuer, string? kid, string? type, string[]? status, CredentialsQueries credentials)
    {
        if (!CredentialRules.TryParseDid(issuer, out var address) || !CredentialRules.IsFragment(kid) || !CredentialRules.IsType(type))
        {
            return Problems.Of(CredentialsErrors.VcTrustInvalid, "a trust bundle needs issuer (a did:thingledger DID), kid (a method fragment) and type (a credential type)");
        }
        var entries = new List<StatusEntry>();
        foreach (var id in status ?? [])
        {
            // Which page to prove depends only on the list and the index; the verifier checks the purpose against the list it is proven to be.
            if (StatusEntry.TryParseId(id, StatusPurpose.Revocation) is not { } entry || entries.Count >= 8)
            {
                return Problems.Of(CredentialsErrors.VcTrustInvalid, $"status '{id}' is not a credentialStatus entry id (did:thingledger:tl…/status/name#index), or more than 8 were given");
            }
            entries.Add(entry);
        }
        var bundle = credentials.Trust(new TrustRequest(address, kid!, type!, entries));
        return Results.Text(bundle.ToJson(), "application/json");
    }
}

using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Credentials;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.CredentialsJson))]

namespace ThingLedger.Client;

/// <summary>Identity: DID resolution, the trust registry, schemas, status lists, and trust bundles for offline verification.</summary>
public sealed partial class ThingLedgerClient
{
    /// <summary>The DID resolution result; its metadata's error is notFound or invalidDid when there is no document.</summary>
    public async Task<DidResolutionView?> ResolveDidAsync(string did, string? versionTime = null, CancellationToken cancellationToken = default)
    {
        var query = versionTime is null ? "" : $"?versionTime={Uri.EscapeDataString(versionTime)}";
        using var response = await _http.GetAsync($"v1/identifiers/{Uri.EscapeDataString(did)}{query}", cancellationToken).ConfigureAwait(false);
        // The binding answers errors (400, 404) and deactivation (410) with a resolution result too.
        return (int)response.StatusCode is 200 or 400 or 404 or 410
            ? await response.Content.ReadFromJsonAsync(CredentialsJson.Default.DidResolutionView, cancellationToken).ConfigureAwait(false)
            : await ReadAsync(response, CredentialsJson.Default.DidResolutionView, cancellationToken).ConfigureAwait(false);
    }

    public Task<DidView?> GetDidAsync(string did, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/credentials/dids/{Uri.EscapeDataString(did)}", CredentialsJson.Default.DidView, cancellationToken);

    public Task<CredentialSchemaView?> GetCredentialSchemaAsync(string type, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/credentials/schemas/{Uri.EscapeDataString(type)}", CredentialsJson.Default.CredentialSchemaView, cancellationToken);

    public async Task<TrustRegistryView> GetTrustRegistryAsync(CancellationToken cancellationToken = default) =>
        await GetOrNullAsync("v1/credentials/registry", CredentialsJson.Default.TrustRegistryView, cancellationToken).ConfigureAwait(false) ?? new([], [], []);

    public Task<StatusListView?> GetStatusListAsync(string list, bool encoded = false, CancellationToken cancellationToken = default)
    {
        if (!CredentialRules.TryParseStatusListUrl(list, out var issuer, out var name))
        {
            throw new FormatException($"'{list}' is not a status list (did:thingledger:tl…/status/name)");
        }
        return GetOrNullAsync($"v1/credentials/status/{issuer}/{name}{(encoded ? "?encoded=true" : "")}", CredentialsJson.Default.StatusListView, cancellationToken);
    }

    /// <summary>
    /// Verifies a presentation against chain state fetched now as a trust bundle and proven against
    /// <paramref name="genesis"/> (the node is not trusted: a bundle that does not prove its state is
    /// <see cref="CredentialsErrors.VcTrustInvalid"/>).
    /// </summary>
    public async Task<PresentationResult> VerifyPresentationAsync(string presentation, PresentationRequest request, Core.Ledger.Genesis genesis, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        TrustRequest trust;
        using (var parsed = ParsedCredential.TryParse(presentation, out var problem))
        {
            if (parsed is null)
            {
                return PresentationResult.Failed(CredentialsErrors.VcMalformed, problem, null);
            }
            trust = TrustRequest.For(parsed);
        }
        var bundle = await GetTrustBundleAsync(trust, cancellationToken).ConfigureAwait(false);
        var state = TrustState.TryVerify(bundle, genesis, out var broken);
        return state is null
            ? PresentationResult.Failed(CredentialsErrors.VcTrustInvalid, $"the node's trust bundle does not verify against the genesis: {broken}", null)
            : PresentationVerifier.Verify(presentation, request, state, now);
    }

    /// <summary>The proofs a verifier needs for credentials of this issuer key, type and status pages, at the head.</summary>
    public async Task<ProofBundle> GetTrustBundleAsync(TrustRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/credentials/trust?{request.Query()}", cancellationToken).ConfigureAwait(false);
        var json = await ReadAsync(response, CredentialsJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        return ProofBundle.Parse(json.GetRawText());
    }
}

/// <summary>The credentials module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(DidResolutionView))]
[JsonSerializable(typeof(DidView))]
[JsonSerializable(typeof(CredentialSchemaView))]
[JsonSerializable(typeof(TrustRegistryView))]
[JsonSerializable(typeof(StatusListView))]
[JsonSerializable(typeof(PresentationResult))]
[JsonSerializable(typeof(WalletEntry))]
[JsonSerializable(typeof(List<WalletEntry>))]
[JsonSerializable(typeof(CredentialCheck))]
[JsonSerializable(typeof(List<CredentialCheckView>))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(string))]
public sealed partial class CredentialsJson : JsonSerializerContext;

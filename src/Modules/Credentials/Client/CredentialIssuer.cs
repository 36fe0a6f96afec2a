using System.Globalization;
using System.Text.Json;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Client.Credentials;

/// <summary>An entry of a status list a credential names: the list (of the issuer), its purpose, the credential's index in it.</summary>
public sealed record StatusEntry(string List, StatusPurpose Purpose, uint Index)
{
    public string Id => $"{List}#{Index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Reads an entry's id (<c>{list}#{index}</c>) into the list and index it names. The purpose is
    /// not in the id: the entry says <paramref name="purpose"/>, to be checked against the list it is proven to be.
    /// </summary>
    public static StatusEntry? TryParseId(string? id, StatusPurpose purpose)
    {
        var hash = id?.LastIndexOf('#') ?? -1;
        return hash > 0 && CredentialRules.TryParseStatusListUrl(id![..hash], out _, out _) &&
            uint.TryParse(id[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new StatusEntry(id[..hash], purpose, index)
            : null;
    }
}

/// <summary>What an issuer puts in a credential (docs/IDENTITY.md "Credentials").</summary>
public sealed record CredentialRequest(
    string Type, Address Issuer, string KeyFragment, PublicKey Holder, IReadOnlyDictionary<string, JsonElement> Claims,
    DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, IReadOnlyList<StatusEntry> Status);

/// <summary>Issues W3C VC 2.0 credentials secured as SD-JWT (VC-JOSE-COSE), signed ES256 by a key of the issuer's DID.</summary>
public static class CredentialIssuer
{
    public const string MediaType = "vc+sd-jwt";
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";

    /// <summary>
    /// The credential <c>{jwt}~{disclosure}~…~</c>: each of the schema's disclosable claims its own
    /// disclosure, the fixed ones in the clear. Throws <see cref="ArgumentException"/> for a claim the
    /// schema does not have, a validity that ends before it starts, or a status list of another DID.
    /// </summary>
    public static string Issue(CredentialRequest request, SchemaPayload schema, KeyPair key, DateTimeOffset now)
    {
        if (schema.Type != request.Type)
        {
            throw new ArgumentException($"the schema is of type {schema.Type}, not {request.Type}", nameof(schema));
        }
        foreach (var name in request.Claims.Keys)
        {
            if (schema.Claim(name) is null)
            {
                throw new ArgumentException($"claim '{name}' is not in the {schema.Type} schema (its claims: {string.Join(", ", schema.Claims.Select(c => c.Name))})", nameof(request));
            }
        }
        if (request.ValidUntil <= request.ValidFrom)
        {
            throw new ArgumentException("a credential's validity must end after it starts", nameof(request));
        }
        foreach (var entry in request.Status)
        {
            if (!CredentialRules.TryParseStatusListUrl(entry.List, out var owner, out _) || owner != request.Issuer)
            {
                throw new ArgumentException($"status list {entry.List} is not a list of {CredentialRules.Did(request.Issuer)}", nameof(request));
            }
        }
        var disclosures = new List<string>();
        foreach (var claim in schema.Claims.Where(c => c.Disclosable && request.Claims.ContainsKey(c.Name)))
        {
            disclosures.Add(SdJwt.Disclose(claim.Name, request.Claims[claim.Name]));
        }
        var issuer = CredentialRules.Did(request.Issuer);
        var header = Jose.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("alg", "ES256");
            w.WriteString("typ", MediaType);
            w.WriteString("cty", "vc");
            w.WriteString("kid", $"{issuer}#{request.KeyFragment}");
            w.WriteEndObject();
        });
        var payload = Jose.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("@context");
            w.WriteStringValue(VcContext);
            w.WriteEndArray();
            w.WriteStartArray("type");
            w.WriteStringValue("VerifiableCredential");
            w.WriteStringValue(request.Type);
            w.WriteEndArray();
            w.WriteString("issuer", issuer);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("validFrom", Rfc3339(request.ValidFrom));
            w.WriteString("validUntil", Rfc3339(request.ValidUntil));
            w.WriteStartObject("credentialSubject");
            foreach (var claim in schema.Claims.Where(c => !c.Disclosable && request.Claims.ContainsKey(c.Name)))
            {
                w.WritePropertyName(claim.Name);
                request.Claims[claim.Name].WriteTo(w);
            }
            w.WriteStartArray("_sd");
            foreach (var digest in disclosures.Select(SdJwt.Digest).Order(StringComparer.Ordinal))
            {
                w.WriteStringValue(digest);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            if (request.Status.Count > 0)
            {
                w.WriteStartArray("credentialStatus");
                foreach (var entry in request.Status)
                {
                    w.WriteStartObject();
                    w.WriteString("id", entry.Id);
                    w.WriteString("type", "BitstringStatusListEntry");
                    w.WriteString("statusPurpose", StatusListPayload.PurposeName(entry.Purpose));
                    w.WriteString("statusListIndex", entry.Index.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("statusListCredential", entry.List);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteStartObject("cnf");
            w.WritePropertyName("jwk");
            Jose.WriteJwk(w, request.Holder);
            w.WriteEndObject();
            w.WriteString("_sd_alg", "sha-256");
            w.WriteEndObject();
        });
        return new SdJwt(Jose.Sign(header, payload, key), disclosures, null).ToString();
    }

    /// <summary>RFC 3339 in UTC to the second: 2026-12-08T00:00:00Z.</summary>
    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

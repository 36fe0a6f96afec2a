using System.Text.Json;
using ThingLedger.Execution.Modules.Credentials;
using E = ThingLedger.Execution.Modules.Credentials.CredentialsErrors;

namespace ThingLedger.Client.Credentials;

/// <summary>What a verifier asks of a presentation: its nonce and audience, the claims it needs, and optionally the type.</summary>
public sealed record PresentationRequest(string Nonce, string Audience, IReadOnlyList<string> Claims, string? Type = null);

/// <summary>A presentation's verdict: valid with what it showed, or the first check that failed with its code (docs/IDENTITY.md "Verification").</summary>
public sealed record PresentationResult(
    bool Ok, string? Code, string Message, string? Type, string? Issuer, DateTimeOffset? IssuedAt, SortedDictionary<string, JsonElement> Claims, ulong TrustHeight, ulong TrustTime)
{
    public static PresentationResult Failed(string code, string message, TrustState? trust, ParsedCredential? credential = null) =>
        new(false, code, message, credential?.Type, credential is null ? null : CredentialRules.Did(credential.Issuer),
            credential is null ? null : DateTimeOffset.FromUnixTimeSeconds(credential.IssuedAt), [], trust?.Height ?? 0, trust?.Timestamp ?? 0);
}

/// <summary>
/// Verifies SD-JWT VC presentations offline against proven chain state (a <see cref="TrustState"/>),
/// in the order docs/IDENTITY.md lists; the first failed check decides. Safe to call from many
/// threads with one trust state.
/// </summary>
public static class PresentationVerifier
{
    public static PresentationResult Verify(string presentation, PresentationRequest request, TrustState trust, DateTimeOffset now)
    {
        using var vc = ParsedCredential.TryParse(presentation, out var problem);
        if (vc is null)
        {
            return PresentationResult.Failed(E.VcMalformed, problem, trust);
        }
        if (vc.SdJwt.KeyBinding is null)
        {
            return PresentationResult.Failed(E.VcHolderBindingInvalid, "the presentation has no key-binding JWT: anyone holding a copy could have sent it", trust, vc);
        }
        var needed = TrustRequest.For(vc).Keys().FirstOrDefault(k => !trust.Proves(k));
        if (needed is not null)
        {
            return PresentationResult.Failed(E.VcTrustInvalid, $"the trust bundle does not prove {needed}: fetch one for this credential", trust, vc);
        }
        return Check(vc, request, trust, now);
    }

    private static PresentationResult Check(ParsedCredential vc, PresentationRequest request, TrustState trust, DateTimeOffset now)
    {
        var did = CredentialRules.Did(vc.Issuer);
        var record = CredentialsState.ReadDid(trust, vc.Issuer);
        if (record is null)
        {
            return PresentationResult.Failed(E.VcIssuerKeyUnknown, $"{did} does not exist on the chain", trust, vc);
        }
        if (!record.Active)
        {
            return PresentationResult.Failed(E.VcDidDeactivated, $"{did} was deactivated at {Time(record.Deactivated)}", trust, vc);
        }
        var key = CredentialsState.ReadMethod(trust, vc.Issuer, vc.KeyFragment);
        if (key is null || (key.Purposes & DidPurposes.AssertionMethod) == 0)
        {
            return PresentationResult.Failed(E.VcIssuerKeyUnknown, $"{did}#{vc.KeyFragment} is not an assertion key of the issuer", trust, vc);
        }
        if (!key.ValidDuring(vc.IssuedAtMs, vc.IssuedAtMs + 1000))
        {
            return PresentationResult.Failed(E.VcKeyNotValid, key.Added >= vc.IssuedAtMs + 1000
                ? $"{did}#{vc.KeyFragment} was added at {Time(key.Added)}, after the credential says it was signed ({Time(vc.IssuedAtMs)})"
                : $"{did}#{vc.KeyFragment} was rotated out at {Time(key.Removed)}, before the credential says it was signed ({Time(vc.IssuedAtMs)})", trust, vc);
        }
        if (!vc.Jws.VerifiedBy(key.Key))
        {
            return PresentationResult.Failed(E.VcSignatureInvalid, $"the issuer signature does not verify with {did}#{vc.KeyFragment}", trust, vc);
        }
        var schema = CredentialsState.ReadSchema(trust, vc.Type)?.Schema;
        if (schema is null)
        {
            return PresentationResult.Failed(E.VcSchemaMismatch, $"no schema is registered for {vc.Type}", trust, vc);
        }
        var disclosures = CheckDisclosures(vc, schema);
        if (disclosures is not null)
        {
            return PresentationResult.Failed(disclosures.Value.Code, disclosures.Value.Message, trust, vc);
        }
        if (request.Type is not null && request.Type != vc.Type)
        {
            return PresentationResult.Failed(E.VcSchemaMismatch, $"a {vc.Type} was presented where a {request.Type} was asked for", trust, vc);
        }
        if (CredentialsState.ReadAccreditation(trust, vc.Issuer, vc.Type) is not { } accreditation || !accreditation.CoversAny(vc.IssuedAtMs, vc.IssuedAtMs + 1000))
        {
            return PresentationResult.Failed(E.VcIssuerNotAccredited, $"{did} was not accredited for {vc.Type} when it signed ({Time(vc.IssuedAtMs)})", trust, vc);
        }
        if (now < vc.ValidFrom)
        {
            return PresentationResult.Failed(E.VcNotYetValid, $"valid from {CredentialIssuer.Rfc3339(vc.ValidFrom)}", trust, vc);
        }
        if (vc.ValidUntil is { } until && now >= until)
        {
            return PresentationResult.Failed(E.VcExpired, $"expired at {CredentialIssuer.Rfc3339(until)}", trust, vc);
        }
        foreach (var entry in vc.Status)
        {
            _ = CredentialRules.TryParseStatusListUrl(entry.List, out var owner, out var name);
            var list = CredentialsState.ReadStatusList(trust, owner, name);
            if (list is null || list.Purpose != entry.Purpose || entry.Index >= list.Size)
            {
                return PresentationResult.Failed(E.VcTrustInvalid, $"{entry.List} is not a {StatusListPayload.PurposeName(entry.Purpose)} list holding entry {entry.Index}", trust, vc);
            }
            if (CredentialRules.IsSet(CredentialsState.ReadStatusPage(trust, owner, name, entry.Index / CredentialRules.PageEntries), entry.Index))
            {
                return PresentationResult.Failed(entry.Purpose == StatusPurpose.Revocation ? E.VcRevoked : E.VcSuspended,
                    $"{(entry.Purpose == StatusPurpose.Revocation ? "revoked" : "suspended")}: entry {entry.Index} of {entry.List} is set as of block {trust.Height}", trust, vc);
            }
        }
        var binding = CheckKeyBinding(vc, request);
        if (binding is not null)
        {
            return PresentationResult.Failed(binding.Value.Code, binding.Value.Message, trust, vc);
        }
        var claims = vc.Claims();
        var missing = request.Claims.Where(c => !claims.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            return PresentationResult.Failed(E.VcClaimMissing, $"not disclosed: {string.Join(", ", missing)}", trust, vc);
        }
        return new PresentationResult(true, null, $"a valid {vc.Type} from {did}", vc.Type, did, DateTimeOffset.FromUnixTimeSeconds(vc.IssuedAt),
            new SortedDictionary<string, JsonElement>(claims.ToDictionary(c => c.Key, c => c.Value.Clone()), StringComparer.Ordinal), trust.Height, trust.Timestamp);
    }

    /// <summary>Each disclosure's digest is in _sd once, names a disclosable claim of the schema and no fixed one; every fixed claim is in the schema as fixed.</summary>
    private static (string Code, string Message)? CheckDisclosures(ParsedCredential vc, SchemaPayload schema)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (disclosure, name, _) in vc.Disclosed)
        {
            var digest = SdJwt.Digest(disclosure);
            if (!vc.Digests.Contains(digest) || !used.Add(digest))
            {
                return (E.VcDisclosureInvalid, $"the disclosure of '{name}' is not one the issuer signed");
            }
            if (schema.Claim(name) is not { Disclosable: true } || vc.Fixed.ContainsKey(name))
            {
                return (E.VcSchemaMismatch, $"'{name}' is not a disclosable claim of {schema.Type}");
            }
        }
        foreach (var name in vc.Fixed.Keys)
        {
            if (schema.Claim(name) is not { Disclosable: false })
            {
                return (E.VcSchemaMismatch, $"'{name}' is not a fixed claim of {schema.Type}");
            }
        }
        return null;
    }

    /// <summary>The KB-JWT: typ kb+jwt, signed by the cnf key, sd_hash over exactly what was presented, the verifier's nonce and audience.</summary>
    private static (string Code, string Message)? CheckKeyBinding(ParsedCredential vc, PresentationRequest request)
    {
        using var kb = CompactJws.TryParse(vc.SdJwt.KeyBinding!);
        if (kb is null || Jose.Text(kb.Header, "typ") != CredentialPresenter.KeyBindingType)
        {
            return (E.VcHolderBindingInvalid, "the key-binding JWT is not an ES256 kb+jwt");
        }
        if (!kb.VerifiedBy(vc.Holder))
        {
            return (E.VcHolderBindingInvalid, "the key-binding JWT is not signed by the key the credential is bound to");
        }
        if (Jose.Text(kb.Payload, "sd_hash") != Jose.Sha256(vc.SdJwt.WithoutKeyBinding))
        {
            return (E.VcHolderBindingInvalid, "the key-binding JWT's sd_hash does not cover what was presented");
        }
        if (Jose.Text(kb.Payload, "nonce") != request.Nonce)
        {
            return (E.VcNonceMismatch, "the presentation answers another nonce: a replay, or made for another request");
        }
        if (Jose.Text(kb.Payload, "aud") != request.Audience)
        {
            return (E.VcAudienceMismatch, $"the presentation was made for '{Jose.Text(kb.Payload, "aud")}', not '{request.Audience}'");
        }
        return null;
    }

    private static string Time(ulong unixMs) => CredentialIssuer.Rfc3339(DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs));
}

using System.Globalization;
using System.Text.Json;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Client.Credentials;

/// <summary>
/// A credential or presentation read apart (nothing verified yet): the issuer JWT's header and
/// payload, its disclosures decoded, and its key-binding JWT if any. Dispose to release the JSON.
/// </summary>
public sealed class ParsedCredential : IDisposable
{
    private ParsedCredential(SdJwt sdJwt, CompactJws jws)
    {
        SdJwt = sdJwt;
        Jws = jws;
    }

    public SdJwt SdJwt { get; }
    public CompactJws Jws { get; }
    public Address Issuer { get; private set; }
    public string KeyFragment { get; private set; } = string.Empty;
    public string Type { get; private set; } = string.Empty;
    public long IssuedAt { get; private set; }
    public DateTimeOffset ValidFrom { get; private set; }
    public DateTimeOffset? ValidUntil { get; private set; }
    public PublicKey Holder { get; private set; } = null!;
    public List<StatusEntry> Status { get; } = [];

    /// <summary>Claims always visible in credentialSubject (not "_sd").</summary>
    public Dictionary<string, JsonElement> Fixed { get; } = new(StringComparer.Ordinal);

    /// <summary>The digests in credentialSubject._sd.</summary>
    public HashSet<string> Digests { get; } = new(StringComparer.Ordinal);

    /// <summary>Each disclosure's claim name and value, with the disclosure itself, in order.</summary>
    public List<(string Disclosure, string Name, JsonElement Value)> Disclosed { get; } = [];

    public ulong IssuedAtMs => (ulong)IssuedAt * 1000;

    /// <summary>Reads the text, or says why it is not a credential of this platform's shape (<see cref="CredentialsErrors.VcMalformed"/>).</summary>
    public static ParsedCredential? TryParse(string? text, out string problem)
    {
        problem = string.Empty;
        var sdJwt = SdJwt.TryParse(text);
        if (sdJwt is null)
        {
            problem = "not an SD-JWT: expected {jwt}~{disclosure}~…~ with an optional key-binding JWT at the end";
            return null;
        }
        var jws = CompactJws.TryParse(sdJwt.Jwt);
        if (jws is null)
        {
            problem = "the issuer-signed part is not an ES256 JWT with JSON header and payload";
            return null;
        }
        var parsed = new ParsedCredential(sdJwt, jws);
        problem = parsed.Read() ?? string.Empty;
        if (problem.Length > 0)
        {
            parsed.Dispose();
            return null;
        }
        return parsed;
    }

    private string? Read()
    {
        if (Jose.Text(Jws.Header, "typ") != CredentialIssuer.MediaType)
        {
            return $"the JWT's typ is not {CredentialIssuer.MediaType}";
        }
        var kid = Jose.Text(Jws.Header, "kid") ?? "";
        var hash = kid.IndexOf('#', StringComparison.Ordinal);
        var p = Jws.Payload;
        if (hash < 0 || !CredentialRules.TryParseDid(kid[..hash], out var issuer) || !CredentialRules.IsFragment(kid[(hash + 1)..]))
        {
            return "kid does not name a key of a DID of this chain (did:thingledger:tl…#key-1)";
        }
        if (Jose.Text(p, "issuer") != kid[..hash])
        {
            return "issuer is not the DID of the signing key (kid)";
        }
        Issuer = issuer;
        KeyFragment = kid[(hash + 1)..];
        if (!p.TryGetProperty("type", out var types) || types.ValueKind != JsonValueKind.Array || types.GetArrayLength() != 2 ||
            types[0].GetString() != "VerifiableCredential" || !CredentialRules.IsType(types[1].ValueKind == JsonValueKind.String ? types[1].GetString() : null))
        {
            return "type is not [\"VerifiableCredential\", one credential type]";
        }
        Type = types[1].GetString()!;
        if (!p.TryGetProperty("iat", out var iat) || !iat.TryGetInt64(out var seconds) || seconds < 0)
        {
            return "iat is missing or not a number of seconds";
        }
        IssuedAt = seconds;
        if (!TryTime(Jose.Text(p, "validFrom"), out var from))
        {
            return "validFrom is missing or not an RFC 3339 time";
        }
        ValidFrom = from;
        if (p.TryGetProperty("validUntil", out _))
        {
            if (!TryTime(Jose.Text(p, "validUntil"), out var until))
            {
                return "validUntil is not an RFC 3339 time";
            }
            ValidUntil = until;
        }
        if (!p.TryGetProperty("cnf", out var cnf) || !cnf.TryGetProperty("jwk", out var jwk) || !Jose.TryReadJwk(jwk, out var holder))
        {
            return "cnf.jwk (the holder's P-256 key) is missing or not a P-256 public JWK";
        }
        Holder = holder!;
        if (Jose.Text(p, "_sd_alg") != "sha-256")
        {
            return "_sd_alg is not sha-256";
        }
        var statusProblem = ReadStatus(p);
        if (statusProblem is not null)
        {
            return statusProblem;
        }
        if (!p.TryGetProperty("credentialSubject", out var subject) || subject.ValueKind != JsonValueKind.Object)
        {
            return "credentialSubject is missing";
        }
        foreach (var member in subject.EnumerateObject())
        {
            if (member.Name == "_sd")
            {
                if (member.Value.ValueKind != JsonValueKind.Array || member.Value.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String || !Digests.Add(d.GetString()!)))
                {
                    return "credentialSubject._sd is not a list of distinct digests";
                }
            }
            else
            {
                Fixed[member.Name] = member.Value;
            }
        }
        foreach (var disclosure in SdJwt.Disclosures)
        {
            if (!SdJwt.TryReadDisclosure(disclosure, out var name, out var value))
            {
                return "a disclosure is not base64url of [salt, name, value]";
            }
            Disclosed.Add((disclosure, name, value));
        }
        return null;
    }

    private string? ReadStatus(JsonElement payload)
    {
        if (!payload.TryGetProperty("credentialStatus", out var status))
        {
            return null;
        }
        if (status.ValueKind != JsonValueKind.Array)
        {
            return "credentialStatus is not a list";
        }
        foreach (var entry in status.EnumerateArray())
        {
            var purpose = Jose.Text(entry, "statusPurpose") switch
            {
                "revocation" => StatusPurpose.Revocation,
                "suspension" => StatusPurpose.Suspension,
                _ => (StatusPurpose)0,
            };
            var list = Jose.Text(entry, "statusListCredential");
            if (Jose.Text(entry, "type") != "BitstringStatusListEntry" || purpose == 0 ||
                !uint.TryParse(Jose.Text(entry, "statusListIndex"), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
                !CredentialRules.TryParseStatusListUrl(list, out var owner, out _) || owner != Issuer)
            {
                return "a credentialStatus entry is not a BitstringStatusListEntry of a list of the issuer";
            }
            Status.Add(new StatusEntry(list!, purpose, index));
        }
        return null;
    }

    /// <summary>Every claim the holder disclosed or that is always visible, by name.</summary>
    public SortedDictionary<string, JsonElement> Claims()
    {
        var claims = new SortedDictionary<string, JsonElement>(Fixed, StringComparer.Ordinal);
        foreach (var (_, name, value) in Disclosed)
        {
            claims[name] = value;
        }
        return claims;
    }

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time) &&
        text!.Contains('T', StringComparison.Ordinal);

    public void Dispose() => Jws.Dispose();
}

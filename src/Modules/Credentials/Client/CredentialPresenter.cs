using ThingLedger.Core.Crypto;

namespace ThingLedger.Client.Credentials;

/// <summary>Builds presentations: the issuer JWT, only the disclosures asked for, and a key-binding JWT over the verifier's nonce and audience.</summary>
public static class CredentialPresenter
{
    public const string KeyBindingType = "kb+jwt";

    /// <summary>
    /// Presents <paramref name="credential"/> disclosing <paramref name="claims"/> (each a disclosable
    /// claim of the credential, or a fixed one, which is always shown). Throws
    /// <see cref="ArgumentException"/> when the credential is not bound to <paramref name="holder"/>
    /// or lacks a claim asked for.
    /// </summary>
    public static string Present(string credential, IReadOnlyCollection<string> claims, KeyPair holder, string nonce, string audience, DateTimeOffset now)
    {
        using var parsed = ParsedCredential.TryParse(credential, out var problem) ?? throw new ArgumentException($"not a credential: {problem}", nameof(credential));
        if (!parsed.Holder.Equals(holder.PublicKey))
        {
            throw new ArgumentException($"the credential is bound to another key than {holder.Address}", nameof(holder));
        }
        if (string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(audience))
        {
            throw new ArgumentException("a presentation needs the verifier's nonce and audience", nameof(nonce));
        }
        var chosen = new List<string>();
        foreach (var name in claims)
        {
            var found = parsed.Disclosed.FindIndex(d => d.Name == name);
            if (found >= 0)
            {
                chosen.Add(parsed.Disclosed[found].Disclosure);
            }
            else if (!parsed.Fixed.ContainsKey(name))
            {
                throw new ArgumentException($"the credential has no claim '{name}' (it has: {string.Join(", ", parsed.Claims().Keys)})", nameof(claims));
            }
        }
        var presented = new SdJwt(parsed.SdJwt.Jwt, chosen, null);
        var header = Jose.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("alg", "ES256");
            w.WriteString("typ", KeyBindingType);
            w.WriteEndObject();
        });
        var payload = Jose.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteString("aud", audience);
            w.WriteString("nonce", nonce);
            w.WriteString("sd_hash", Jose.Sha256(presented.WithoutKeyBinding));
            w.WriteEndObject();
        });
        return (presented with { KeyBinding = Jose.Sign(header, payload, holder) }).ToString();
    }
}

using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Client.Credentials;

/// <summary>What a verifier needs proven for a credential: the issuer's DID and signing key, the type's schema and accreditation, each status page.</summary>
public sealed record TrustRequest(Address Issuer, string KeyFragment, string Type, IReadOnlyList<StatusEntry> Status)
{
    /// <summary>The state keys that answer it.</summary>
    public IEnumerable<string> Keys()
    {
        yield return CredentialsState.DidKey(Issuer);
        yield return CredentialsState.MethodKey(Issuer, KeyFragment);
        yield return CredentialsState.SchemaKey(Type);
        yield return CredentialsState.AccreditationKey(Issuer, Type);
        foreach (var entry in Status)
        {
            if (CredentialRules.TryParseStatusListUrl(entry.List, out var owner, out var name))
            {
                yield return CredentialsState.StatusListKey(owner, name);
                yield return CredentialsState.StatusPageKey(owner, name, entry.Index / CredentialRules.PageEntries);
            }
        }
    }

    public static TrustRequest For(ParsedCredential credential) => new(credential.Issuer, credential.KeyFragment, credential.Type, credential.Status);

    /// <summary>The query string of <c>GET /v1/credentials/trust</c>.</summary>
    public string Query() =>
        $"issuer={Uri.EscapeDataString(CredentialRules.Did(Issuer))}&kid={Uri.EscapeDataString(KeyFragment)}&type={Uri.EscapeDataString(Type)}" +
        string.Concat(Status.Select(s => "&status=" + Uri.EscapeDataString(s.Id)));
}

/// <summary>
/// Chain state a verifier holds offline: the values (and absences) a trust bundle proves at one
/// final block, checked against the genesis the verifier trusts. Reading a key the bundle does
/// not prove is a programming error; ask <see cref="Proves"/> first.
/// </summary>
public sealed class TrustState : IStateReader
{
    private readonly Dictionary<string, byte[]?> _values;

    private TrustState(Dictionary<string, byte[]?> values, ulong height, ulong timestamp)
    {
        _values = values;
        Height = height;
        Timestamp = timestamp;
    }

    /// <summary>The block every value is proven at, and its time (Unix ms).</summary>
    public ulong Height { get; }
    public ulong Timestamp { get; }

    public bool Proves(string key) => _values.ContainsKey(key);

    public byte[]? Get(string key) => _values.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"the trust bundle does not prove '{key}'");

    /// <summary>The values of several bundles of one block (a verifier holding the pages of many credentials), each already verified.</summary>
    public static TrustState Union(IReadOnlyList<TrustState> states)
    {
        if (states.Any(s => s.Height != states[0].Height))
        {
            throw new ArgumentException("trust states of different blocks do not combine", nameof(states));
        }
        var values = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            foreach (var (key, value) in state._values)
            {
                values[key] = value;
            }
        }
        return new TrustState(values, states[0].Height, states[0].Timestamp);
    }

    /// <summary>The bundle's state, or why it cannot be trusted: a proof that does not verify, a proof of another kind, proofs of different blocks.</summary>
    public static TrustState? TryVerify(ProofBundle bundle, Genesis genesis, out string problem)
    {
        var (result, _) = bundle.Verify(genesis);
        if (!result.Ok)
        {
            problem = $"{result.Link}: {result.Message}";
            return null;
        }
        var values = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var height = bundle.Proofs[0].Height;
        foreach (var proof in bundle.Proofs)
        {
            if (proof.Kind != ProofDocument.StateKind || proof.Height != height || proof.Key is null)
            {
                problem = "a trust bundle holds state proofs of one block only";
                return null;
            }
            values[proof.Key] = proof.Value is null ? null : Convert.FromHexString(proof.Value);
        }
        _ = BlockHeader.TryDecode(Convert.FromHexString(bundle.Proofs[0].Header), out var header);
        problem = string.Empty;
        return new TrustState(values, height, header!.Timestamp);
    }
}

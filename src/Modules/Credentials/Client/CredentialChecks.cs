using System.Security.Cryptography;
using System.Text.Json;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.AccessLogs;

namespace ThingLedger.Client.Credentials;

/// <summary>What a holder keeps of a credential check it recorded: the preimage of the commitment its access log holds on chain.</summary>
public sealed record CredentialCheck(string Verifier, string Type, string Purpose, ulong Time, string Salt, string Commitment, string Subject)
{
    /// <summary>Whether the fields give the commitment (the record is what the chain's entry hides).</summary>
    public bool Matches(Hash commitment) =>
        Hash.TryParse(Commitment, out var mine) && mine == commitment &&
        AccessCommitments.OfCredentialCheck(Verifier, Type, Purpose, Time, Convert.FromHexString(Salt)) == commitment;
}

/// <summary>
/// A holder's record of the checks it consented to (docs/IDENTITY.md "Consent to check"), one JSON
/// line each in an owner-only file beside the wallet; each is written and flushed before its
/// commitment goes on chain, so no entry of the log is ever without what it hides.
/// </summary>
public sealed class CredentialChecks(string path)
{
    public string Path { get; } = path;

    /// <summary>A new check with a fresh 128-bit salt, kept before it is recorded.</summary>
    public CredentialCheck Keep(string verifier, string type, string purpose, Address subject, DateTimeOffset now)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var time = (ulong)now.ToUnixTimeMilliseconds();
        var check = new CredentialCheck(verifier, type, purpose, time, Convert.ToHexStringLower(salt),
            AccessCommitments.OfCredentialCheck(verifier, type, purpose, time, salt).ToString(), subject.ToString());
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        OwnerOnlyFile.AppendLine(Path, JsonSerializer.Serialize(check, CredentialsJson.Default.CredentialCheck));
        return check;
    }

    public List<CredentialCheck> List() => File.Exists(Path)
        ? [.. File.ReadLines(Path).Where(l => l.Length > 0).Select((l, i) => JsonSerializer.Deserialize(l, CredentialsJson.Default.CredentialCheck)
            ?? throw new FormatException($"{Path} line {i + 1} is empty"))]
        : [];
}

using System.Text.Json;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Client.Credentials;

/// <summary>A credential in a wallet: an id (the first 16 hex digits of its JWT's SHA-256), what it is, the holder key it is bound to, and the credential itself.</summary>
public sealed record WalletEntry(string Id, string Type, string Issuer, string HolderKey, string Holder, DateTimeOffset Added, DateTimeOffset? ValidUntil, List<string> Claims, string Credential);

/// <summary>
/// A holder's credentials, one owner-only JSON file each in a directory. A credential is added only
/// when it parses and is bound to the named holder key; nothing is sent anywhere.
/// </summary>
public sealed class CredentialWallet(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Stores a credential bound to <paramref name="holder"/> (named <paramref name="holderKey"/>); the same credential again is the entry already there.</summary>
    public WalletEntry Add(string credential, string holderKey, Core.Crypto.PublicKey holder, DateTimeOffset now)
    {
        using var parsed = ParsedCredential.TryParse(credential, out var problem) ?? throw new FormatException($"not a credential: {problem}");
        if (!parsed.Holder.Equals(holder))
        {
            throw new ArgumentException($"the credential is bound to another key than '{holderKey}'", nameof(holderKey));
        }
        var id = Id(parsed.SdJwt.Jwt);
        if (Find(id) is { } existing)
        {
            return existing;
        }
        var claims = parsed.Claims().Keys.ToList();
        var entry = new WalletEntry(id, parsed.Type, CredentialRules.Did(parsed.Issuer), holderKey, holder.ToAddress().ToString(), now, parsed.ValidUntil, claims, credential.Trim());
        System.IO.Directory.CreateDirectory(Directory);
        OwnerOnlyFile.Create(PathOf(id), JsonSerializer.Serialize(entry, CredentialsJson.Default.WalletEntry));
        return entry;
    }

    public List<WalletEntry> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        return [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal).Select(Read).OrderBy(e => e.Added)];
    }

    /// <summary>
    /// The entry whose id is or starts with <paramref name="id"/> (at least 4 digits), or the one
    /// credential of that type (ResidentCredential); throws when it names none or several.
    /// </summary>
    public WalletEntry Get(string id)
    {
        var matches = CredentialRules.IsType(id) ? List().Where(e => e.Type == id).ToList()
            : id.Length >= 4 ? List().Where(e => e.Id.StartsWith(id, StringComparison.Ordinal)).ToList() : [];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"no credential '{id}' in the wallet at {Directory} (thingledger id wallet list)"),
            _ => throw new ArgumentException($"'{id}' names {matches.Count} credentials ({string.Join(", ", matches.Select(m => m.Id))}): give one's id"),
        };
    }

    private WalletEntry? Find(string id) => File.Exists(PathOf(id)) ? Read(PathOf(id)) : null;

    private string PathOf(string id) => Path.Combine(Directory, id + ".json");

    private static WalletEntry Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CredentialsJson.Default.WalletEntry) ?? throw new FormatException($"wallet file {path} is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"wallet file {path} is damaged: {e.Message}", e);
        }
    }

    public static string Id(string jwt) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(jwt)))[..16];
}

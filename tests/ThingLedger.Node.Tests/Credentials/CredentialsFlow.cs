using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Node.Tests.Credentials;

/// <summary>
/// One issuer on a test node: its DID, a registered schema for its own credential type, its
/// accreditation (the single validating organisation is the quorum), and a revocation and a
/// suspension list. Issues, presents and verifies against trust bundles fetched from the node.
/// </summary>
internal sealed class CredentialsFlow(TestNode node, string type)
{
    public const string Revocation = "rev";
    public const string Suspension = "sus";

    private readonly Dictionary<Address, Account> _accounts = [];

    public KeyPair Issuer { get; } = KeyPair.Generate();
    public KeyPair Holder { get; } = KeyPair.Generate();
    public string Type { get; } = type;
    public KeyPair Admin => node.Admin("voltmotors");

    public static readonly SchemaClaim[] Claims =
        [new("given_name", true), new("family_name", true), new("birthdate", true), new("age_over_18", true), new("id_number", true), new("resident_of", false)];

    public async Task<CredentialsFlow> SetUpAsync(bool accredit = true)
    {
        await RunAsync(Issuer, Operations.CreateDid([new DidMethod("key-1", Issuer.PublicKey, DidPurposes.All)]));
        await RunAsync(Admin, Operations.RegisterCredentialSchema(Type, $"{Type} for tests", Claims));
        if (accredit)
        {
            await RunAsync(Admin, Operations.ProposeAccreditation(AccreditAction.Accredit, Issuer.Address, Type));
        }
        await RunAsync(Issuer, Operations.CreateStatusList(Issuer.Address, Revocation, StatusPurpose.Revocation, 131_072));
        await RunAsync(Issuer, Operations.CreateStatusList(Issuer.Address, Suspension, StatusPurpose.Suspension, 131_072));
        return this;
    }

    /// <summary>Submits, waits, and returns the committed (or failed) result.</summary>
    public async Task<TxResultView> SubmitAsync(KeyPair key, Operation operation)
    {
        using var client = node.Client();
        if (!_accounts.TryGetValue(key.Address, out var account))
        {
            account = await Account.OpenAsync(client, key, node.Genesis.ChainId);
            _accounts[key.Address] = account;
        }
        return await client.SubmitAsync(account.Sign(operation), wait: true);
    }

    public async Task RunAsync(KeyPair key, Operation operation)
    {
        var result = await SubmitAsync(key, operation);
        Assert.True(result.Status == TxState.Committed, $"{result.Status} {result.Code}: {result.Message}");
    }

    public static Dictionary<string, JsonElement> Person() => new(StringComparer.Ordinal)
    {
        ["given_name"] = Value("Mei"),
        ["family_name"] = Value("Chen"),
        ["birthdate"] = Value("1990-04-01"),
        ["age_over_18"] = Value("true"),
        ["id_number"] = Value("330102199004011234"),
        ["resident_of"] = Value("Lishui"),
    };

    public static JsonElement Value(string text) => SdJwt.TryValue(text, false, out var v) ? v : throw new ArgumentException(text);

    public string Issue(uint index, DateTimeOffset? now = null, DateTimeOffset? from = null, DateTimeOffset? until = null, string key = "key-1", KeyPair? signer = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var schema = new SchemaPayload(Type, $"{Type} for tests", Claims);
        var request = new CredentialRequest(Type, Issuer.Address, key, Holder.PublicKey, Person(), from ?? at.AddMinutes(-1), until ?? at.AddYears(5),
            [new StatusEntry(CredentialRules.StatusListUrl(Issuer.Address, Revocation), StatusPurpose.Revocation, index),
             new StatusEntry(CredentialRules.StatusListUrl(Issuer.Address, Suspension), StatusPurpose.Suspension, index)]);
        return CredentialIssuer.Issue(request, schema, signer ?? Issuer, at);
    }

    public string Present(string credential, string[] claims, string nonce = "n-1", string audience = "hotel", KeyPair? holder = null) =>
        CredentialPresenter.Present(credential, claims, holder ?? Holder, nonce, audience, DateTimeOffset.UtcNow);

    /// <summary>Fetches a fresh trust bundle for the presentation, checks it against the genesis, and verifies.</summary>
    public async Task<PresentationResult> VerifyAsync(string presentation, string[] claims, string nonce = "n-1", string audience = "hotel", DateTimeOffset? now = null)
    {
        using var client = node.Client();
        return await client.VerifyPresentationAsync(presentation, new PresentationRequest(nonce, audience, claims), node.Genesis, now ?? DateTimeOffset.UtcNow);
    }
}

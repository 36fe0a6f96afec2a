using System.Security.Cryptography;
using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's identity step (docs/IDENTITY.md): the county's public-security office and City Bank
/// get DIDs, and the consortium accredits the office for resident IDs and the bank for KYC. The
/// office issues Mei a resident ID; the Grand Hotel checks only that she is of age and a resident;
/// City Bank checks her name and ID number, completes KYC and issues her a KYC credential, which
/// Harbour Bank accepts without asking again. Every check runs offline against chain state proven
/// to the genesis; her credentials stay in her wallet in the data directory.
/// </summary>
internal static class DemoIdentity
{
    public const string Resident = "ResidentCredential";
    public const string Kyc = "KycCredential";
    private const string List = "revocation";

    private static readonly SchemaPayload ResidentSchema = new(Resident, "Resident of Lishui county",
        [new("given_name", true), new("family_name", true), new("birthdate", true), new("age_over_18", true), new("id_number", true), new("resident_of", false)]);

    private static readonly SchemaPayload KycSchema = new(Kyc, "Know-your-customer check by a bank",
        [new("given_name", true), new("family_name", true), new("id_number", true), new("kyc_level", true), new("checked_on", false)]);

    public static async Task RunAsync(ThingLedgerClient client, DemoScenario world, KeyStore keys, string directory, Action<string> progress, CancellationToken ct)
    {
        var admin = world.Admins["voltmotors"];
        var office = Key(keys, "county-office");
        var bank = Key(keys, "city-bank");
        var mei = Key(keys, "mei");
        var created = await client.GetDidAsync(CredentialRules.Did(office.Address), ct).ConfigureAwait(false) is null;
        if (created)
        {
            var officeAccount = await Account.OpenAsync(client, office, admin.ChainId, ct).ConfigureAwait(false);
            var bankAccount = await Account.OpenAsync(client, bank, admin.ChainId, ct).ConfigureAwait(false);
            await client.SubmitAllCommittedAsync(
            [
                officeAccount.Sign(Operations.CreateDid([new DidMethod("key-1", office.PublicKey, DidPurposes.All)], [new DidService("site", "LinkedDomains", "https://gaj.lishui.example")])),
                bankAccount.Sign(Operations.CreateDid([new DidMethod("key-1", bank.PublicKey, DidPurposes.All)], [new DidService("site", "LinkedDomains", "https://citybank.example")])),
                admin.Sign(Operations.RegisterCredentialSchema(ResidentSchema.Type, ResidentSchema.Title, ResidentSchema.Claims)),
                admin.Sign(Operations.RegisterCredentialSchema(KycSchema.Type, KycSchema.Title, KycSchema.Claims)),
                officeAccount.Sign(Operations.CreateStatusList(office.Address, List, StatusPurpose.Revocation, CredentialRules.PageEntries)),
                bankAccount.Sign(Operations.CreateStatusList(bank.Address, List, StatusPurpose.Revocation, CredentialRules.PageEntries)),
            ], "the demo's identities (DIDs, credential schemas, status lists)", cancellationToken: ct).ConfigureAwait(false);
            // voltmotors runs the demo's validator: its proposal is the quorum.
            await client.SubmitAllCommittedAsync(
            [
                admin.Sign(Operations.ProposeAccreditation(AccreditAction.Accredit, office.Address, Resident)),
                admin.Sign(Operations.ProposeAccreditation(AccreditAction.Accredit, bank.Address, Kyc)),
            ], "the demo's accreditations", cancellationToken: ct).ConfigureAwait(false);
        }
        var genesis = Node.DataDirectory.LoadGenesis(directory);
        var wallet = new CredentialWallet(Path.Combine(directory, "wallet"));
        var issued = new IssuedEntries(Path.Combine(directory, "issued"));
        var now = DateTimeOffset.UtcNow;
        var resident = wallet.List().FirstOrDefault(e => e.Type == Resident)?.Credential ?? wallet.Add(Issue(office, ResidentSchema, new()
        {
            ["given_name"] = "Mei",
            ["family_name"] = "Chen",
            ["birthdate"] = "1990-04-01",
            ["age_over_18"] = "true",
            ["id_number"] = "331102199004011234",
            ["resident_of"] = "Lishui",
        }, mei, issued, now), "mei", mei.PublicKey, now).Credential;

        var hotel = await CheckAsync(client, genesis, resident, mei, ["age_over_18"], "grand-hotel", ["age_over_18", "resident_of"], ct).ConfigureAwait(false);
        var bankSaw = await CheckAsync(client, genesis, resident, mei, ["given_name", "family_name", "id_number"], "city-bank", ["given_name", "family_name", "id_number"], ct).ConfigureAwait(false);
        var kyc = wallet.List().FirstOrDefault(e => e.Type == Kyc)?.Credential ?? wallet.Add(Issue(bank, KycSchema, new()
        {
            ["given_name"] = "Mei",
            ["family_name"] = "Chen",
            ["id_number"] = "331102199004011234",
            ["kyc_level"] = "standard",
            ["checked_on"] = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, mei, issued, now), "mei", mei.PublicKey, now).Credential;
        var harbour = await CheckAsync(client, genesis, kyc, mei, ["given_name", "family_name", "kyc_level"], "harbour-bank", ["given_name", "family_name", "kyc_level"], ct).ConfigureAwait(false);
        progress($"identity {(created ? "set up" : "resumed")}: Mei holds a resident ID from the county office and a KYC credential from City Bank (thingledger id wallet list)");
        progress($"  the Grand Hotel saw only {Shown(hotel)}; City Bank saw {Shown(bankSaw)}; Harbour Bank accepted the KYC without asking again: {Shown(harbour)}");
    }

    /// <summary>A verifier's fresh nonce, Mei's presentation of just what it asks, and its offline check against proven state.</summary>
    private static async Task<PresentationResult> CheckAsync(ThingLedgerClient client, Core.Ledger.Genesis genesis, string credential, KeyPair holder, string[] disclose,
        string verifier, string[] needs, CancellationToken ct)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var presentation = CredentialPresenter.Present(credential, disclose, holder, nonce, verifier, DateTimeOffset.UtcNow);
        var result = await client.VerifyPresentationAsync(presentation, new PresentationRequest(nonce, verifier, needs), genesis, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        return result.Ok ? result : throw new InvalidOperationException($"the demo's presentation to {verifier} did not verify: {result.Code}: {result.Message}");
    }

    private static string Issue(KeyPair issuer, SchemaPayload schema, Dictionary<string, string> claims, KeyPair holder, IssuedEntries issued, DateTimeOffset now)
    {
        var values = claims.ToDictionary(c => c.Key, c => SdJwt.TryValue(c.Value, false, out var v) ? v : default, StringComparer.Ordinal);
        var entry = new StatusEntry(CredentialRules.StatusListUrl(issuer.Address, List), StatusPurpose.Revocation, issued.Allocate(issuer.Address, List, CredentialRules.PageEntries));
        return CredentialIssuer.Issue(new CredentialRequest(schema.Type, issuer.Address, "key-1", holder.PublicKey, values, now, now.AddYears(5), [entry]), schema, issuer, now);
    }

    private static string Shown(PresentationResult result) => string.Join(", ", result.Claims.Select(c => $"{c.Key}={(c.Value.ValueKind == JsonValueKind.String ? c.Value.GetString() : c.Value.GetRawText())}"));

    private static KeyPair Key(KeyStore keys, string name) => keys.Contains(name) ? keys.Load(name) : keys.Create(name);
}

using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// Identity from the command line, on a node: a county office's DID accredited for resident IDs,
/// a resident's credential in her wallet, a hotel and a bank verifying different disclosures (one
/// offline from a cached trust bundle), a key rotation, a revocation seen at once, and the refusals.
/// </summary>
public sealed class CredentialsCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-id-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<string> RunAsync(params string[] args) => CliProcess.SucceedsAsync(Limit, args);

    private static Task RefusedAsync(string code, params string[] args) => CliProcess.RefusedAsync(code, Limit, args);

    [Fact]
    public async Task A_resident_is_verified_once_and_a_hotel_and_a_bank_each_see_what_they_ask_for()
    {
        var data = Path.Combine(_directory, "chain");
        await RunAsync("init", "--data", data);
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort());
        string[] common = ["--data", data, "--node", node.Url];
        foreach (var name in new[] { "county", "county-2", "mei", "stranger" })
        {
            await RunAsync(["keys", "new", name, .. common]);
        }
        var did = (await RunAsync(["id", "did", "create", "--as", "county", "--service", "site=LinkedDomains=https://county.example", .. common]))
            .Split('\n').Single(l => l.StartsWith("DID: ", StringComparison.Ordinal))[5..].Trim();
        await RefusedAsync("CREDENTIALS_DID_EXISTS", ["id", "did", "create", "--as", "county", .. common]);
        await RunAsync(["id", "schema", "register", "ResidentCredential", "--title", "Resident of the county",
            "--claims", "given_name,family_name,birthdate,age_over_18,id_number", "--fixed", "resident_of", "--as", "voltmotors-admin", .. common]);
        await RefusedAsync("UNAUTHORISED", ["id", "issuer", "propose", did, "--type", "ResidentCredential", "--as", "stranger", .. common]);
        Assert.Contains("enacted", await RunAsync(["id", "issuer", "propose", did, "--type", "ResidentCredential", "--as", "voltmotors-admin", .. common]), StringComparison.Ordinal);
        Assert.Contains("accredited", await RunAsync(["id", "issuer", "list", .. common]), StringComparison.Ordinal);
        await RunAsync(["id", "status", "create", "revocation", "--issuer", did, "--purpose", "revocation", "--size", "1048576", "--as", "county", .. common]);
        await RefusedAsync("CREDENTIALS_STATUS_LIST_INVALID", ["id", "status", "create", "small", "--issuer", did, "--purpose", "revocation", "--size", "1000", "--as", "county", .. common]);

        var credential = Path.Combine(_directory, "mei.sd-jwt");
        string[] issue = ["id", "issue", "--type", "ResidentCredential", "--as", "county", "--holder", "mei", "--claim", "given_name=Mei", "--claim", "family_name=Chen",
            "--claim", "birthdate=1990-04-01", "--claim", "age_over_18=true", "--claim", "id_number=330102199004011234", "--claim", "resident_of=Lishui", "--revocation-list", "revocation"];
        await RunAsync([.. issue, "--out", credential, .. common]);
        var (code, _, err) = await CliProcess.RunAsync(Limit, [.. issue, "--claim", "blood_type=O", .. common]);
        Assert.Equal((2, true), (code, err.Contains("'blood_type' is not in the ResidentCredential schema", StringComparison.Ordinal)));
        var entry = JsonDocument.Parse(await RunAsync(["id", "wallet", "add", credential, "--holder", "mei", "--json", .. common])).RootElement;
        var id = entry.GetProperty("id").GetString()!;
        var (wrongHolder, _, _) = await CliProcess.RunAsync(Limit, ["id", "wallet", "add", credential, "--holder", "stranger", .. common]);
        Assert.Equal(2, wrongHolder);
        Assert.Contains("330102199004011234", await RunAsync(["id", "wallet", "show", id[..6], .. common]), StringComparison.Ordinal);

        // The hotel asks whether she is of age and a resident; the bank for her name and ID number.
        var hotel = Path.Combine(_directory, "hotel.sd-jwt");
        await RunAsync(["id", "present", id, "--claims", "age_over_18", "--nonce", "h-1", "--audience", "grand-hotel", "--out", hotel, .. common]);
        var seen = JsonDocument.Parse(await RunAsync(["id", "verify", hotel, "--nonce", "h-1", "--audience", "grand-hotel", "--claims", "age_over_18,resident_of", "--json", .. common])).RootElement;
        Assert.True(seen.GetProperty("ok").GetBoolean());
        Assert.Equal(["age_over_18", "resident_of"], seen.GetProperty("claims").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Lishui", seen.GetProperty("claims").GetProperty("resident_of").GetString());
        await RefusedAsync("CREDENTIALS_VC_NONCE_MISMATCH", ["id", "verify", hotel, "--nonce", "h-2", "--audience", "grand-hotel", .. common]);
        await RefusedAsync("CREDENTIALS_VC_CLAIM_MISSING", ["id", "verify", hotel, "--nonce", "h-1", "--audience", "grand-hotel", "--claims", "id_number", .. common]);
        var bank = Path.Combine(_directory, "bank.sd-jwt");
        await RunAsync(["id", "present", id, "--claims", "given_name,family_name,id_number", "--nonce", "b-1", "--audience", "city-bank", "--out", bank, .. common]);
        var bankSees = await RunAsync(["id", "verify", bank, "--nonce", "b-1", "--audience", "city-bank", "--claims", "given_name,family_name,id_number", .. common]);
        Assert.Contains("330102199004011234", bankSees, StringComparison.Ordinal);
        Assert.DoesNotContain("1990-04-01", bankSees, StringComparison.Ordinal);

        // Offline: a trust bundle cached now, checked against the genesis alone with no node to ask.
        var trust = Path.Combine(_directory, "trust.json");
        await RunAsync(["id", "trust", hotel, "--out", trust, .. common]);
        string[] offline = ["--data", data, "--node", "http://127.0.0.1:1"];
        Assert.Contains("a valid ResidentCredential", await RunAsync(["id", "verify", hotel, "--trust", trust, "--nonce", "h-1", "--audience", "grand-hotel", .. offline]), StringComparison.Ordinal);

        // Key rotation: the old credential stays valid (signed before), new issuance needs the new key.
        await Task.Delay(1_100);
        await RunAsync(["id", "did", "update", did, "--key", "key-2=county-2", "--remove-key", "key-1", "--as", "county", .. common]);
        await RefusedAsync("CREDENTIALS_NOT_CONTROLLER", ["id", "did", "update", did, "--key", "key-3=stranger", "--as", "stranger", .. common]);
        var shown = JsonDocument.Parse(await RunAsync(["id", "did", "show", did, "--json", .. common])).RootElement;
        Assert.Equal(2, shown.GetProperty("keys").GetArrayLength());
        Assert.Contains("a valid ResidentCredential", await RunAsync(["id", "verify", hotel, "--nonce", "h-1", "--audience", "grand-hotel", .. common]), StringComparison.Ordinal);
        var (rotated, _, rotatedErr) = await CliProcess.RunAsync(Limit, [.. issue, "--out", Path.Combine(_directory, "late.sd-jwt"), .. common]);
        Assert.Equal((2, true), (rotated, rotatedErr.Contains("is not a current assertion key", StringComparison.Ordinal)));

        // Revoked: seen by the next fresh verification; the issuer alone revokes.
        await RefusedAsync("CREDENTIALS_NOT_CONTROLLER", ["id", "revoke", credential, "--as", "stranger", .. common]);
        await RunAsync(["id", "revoke", credential, "--as", "county", .. common]);
        await RefusedAsync("CREDENTIALS_VC_REVOKED", ["id", "verify", hotel, "--nonce", "h-1", "--audience", "grand-hotel", .. common]);
        Assert.Contains("1", await RunAsync(["id", "status", "show", $"{did}/status/revocation", .. common]), StringComparison.Ordinal);

        // Mei records that the hotel checked her resident ID; her log shows it beside what she kept.
        await RunAsync(["id", "check", "--verifier", "grand-hotel", "--type", "ResidentCredential", "--purpose", "check-in", "--as", "mei", .. common]);
        var checks = JsonDocument.Parse(await RunAsync(["id", "checks", "--as", "mei", "--json", .. common])).RootElement;
        Assert.Equal(("grand-hotel", "check-in", true), (checks[0].GetProperty("verifier").GetString(), checks[0].GetProperty("purpose").GetString(), checks[0].GetProperty("matches").GetBoolean()));
        var log = JsonDocument.Parse(await RunAsync(["state", "get", "access/entry/" + JsonDocument.Parse(await RunAsync(["id", "wallet", "list", "--json", .. common])).RootElement[0].GetProperty("holder").GetString() + "/0000000001", "--json", .. common])).RootElement;
        Assert.DoesNotContain("grand-hotel", log.GetRawText(), StringComparison.Ordinal);
        var raw = await RunAsync(["access", "log", "mei", .. common]);
        Assert.Contains("credential-check", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("grand-hotel", raw, StringComparison.Ordinal);

        var before = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var (beforeCode, _, beforeErr) = await CliProcess.RunAsync(Limit, ["id", "did", "show", did, "--at", before, .. common]);
        Assert.Equal((2, true), (beforeCode, beforeErr.Contains("notFound", StringComparison.Ordinal)));
    }
}

using System.Net;
using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Node.Tests.Credentials;

/// <summary>Credentials issued, presented with selective disclosure, and verified offline from proven chain state (docs/IDENTITY.md).</summary>
public sealed class CredentialsTests(TestNode node) : IClassFixture<TestNode>
{
    private static readonly string[] HotelAsks = ["age_over_18", "resident_of"];
    private static readonly string[] BankAsks = ["given_name", "family_name", "id_number"];

    [Fact]
    public async Task A_hotel_and_a_bank_each_see_only_what_they_ask_for()
    {
        var flow = await new CredentialsFlow(node, "ResidentCredential").SetUpAsync();
        var credential = flow.Issue(index: 17);
        Assert.EndsWith("~", credential, StringComparison.Ordinal);

        var hotel = await flow.VerifyAsync(flow.Present(credential, HotelAsks), HotelAsks);
        Assert.True(hotel.Ok, hotel.Message);
        Assert.Equal(["age_over_18", "resident_of"], hotel.Claims.Keys);
        Assert.True(hotel.Claims["age_over_18"].GetBoolean());

        var bank = await flow.VerifyAsync(flow.Present(credential, BankAsks, nonce: "bank-7", audience: "bank"), BankAsks, nonce: "bank-7", audience: "bank");
        Assert.True(bank.Ok, bank.Message);
        Assert.Equal(["family_name", "given_name", "id_number", "resident_of"], bank.Claims.Keys);
        Assert.DoesNotContain("birthdate", bank.Claims.Keys);
        Assert.Equal(CredentialRules.Did(flow.Issuer.Address), bank.Issuer);
        Assert.True(bank.TrustHeight > 0);
    }

    [Fact]
    public async Task Revocation_and_suspension_are_seen_as_soon_as_their_block_is_final()
    {
        var flow = await new CredentialsFlow(node, "KycCredential").SetUpAsync();
        var credential = flow.Issue(index: 131_071);
        var presentation = flow.Present(credential, BankAsks);
        Assert.True((await flow.VerifyAsync(presentation, BankAsks)).Ok);

        await flow.RunAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Suspension, [131_071], true));
        Assert.Equal(CredentialsErrors.VcSuspended, (await flow.VerifyAsync(presentation, BankAsks)).Code);
        await flow.RunAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Suspension, [131_071], false));
        Assert.True((await flow.VerifyAsync(presentation, BankAsks)).Ok);

        await flow.RunAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Revocation, [131_071], true));
        Assert.Equal(CredentialsErrors.VcRevoked, (await flow.VerifyAsync(presentation, BankAsks)).Code);
        var reinstate = await flow.SubmitAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Revocation, [131_071], false));
        Assert.Equal(CredentialsErrors.StatusFinal, reinstate.Code);
    }

    [Fact]
    public async Task Expired_not_yet_valid_and_unaccredited_credentials_are_refused()
    {
        var flow = await new CredentialsFlow(node, "VaccinationCredential").SetUpAsync();
        var now = DateTimeOffset.UtcNow;
        var expired = flow.Issue(1, until: now.AddSeconds(-1), from: now.AddDays(-30));
        Assert.Equal(CredentialsErrors.VcExpired, (await flow.VerifyAsync(flow.Present(expired, HotelAsks), HotelAsks)).Code);
        var early = flow.Issue(2, from: now.AddDays(1), until: now.AddDays(30));
        Assert.Equal(CredentialsErrors.VcNotYetValid, (await flow.VerifyAsync(flow.Present(early, HotelAsks), HotelAsks)).Code);

        // Never accredited; then accredited only after it signed.
        var late = await new CredentialsFlow(node, "LibraryCredential").SetUpAsync(accredit: false);
        var signed = late.Issue(1);
        Assert.Equal(CredentialsErrors.VcIssuerNotAccredited, (await late.VerifyAsync(late.Present(signed, HotelAsks), HotelAsks)).Code);
        await Task.Delay(1_100);
        await late.RunAsync(late.Admin, Operations.ProposeAccreditation(AccreditAction.Accredit, late.Issuer.Address, late.Type));
        Assert.Equal(CredentialsErrors.VcIssuerNotAccredited, (await late.VerifyAsync(late.Present(signed, HotelAsks), HotelAsks)).Code);
        Assert.True((await late.VerifyAsync(late.Present(late.Issue(2), HotelAsks), HotelAsks)).Ok);
    }

    [Fact]
    public async Task A_withdrawn_accreditation_keeps_what_was_issued_before_and_refuses_what_comes_after()
    {
        var flow = await new CredentialsFlow(node, "MembershipCredential").SetUpAsync();
        var before = flow.Issue(1, now: DateTimeOffset.UtcNow.AddSeconds(2));
        await Task.Delay(3_100);
        await flow.RunAsync(flow.Admin, Operations.ProposeAccreditation(AccreditAction.Withdraw, flow.Issuer.Address, flow.Type));
        Assert.True((await flow.VerifyAsync(flow.Present(before, HotelAsks), HotelAsks)).Ok);
        await Task.Delay(1_100);
        var after = flow.Issue(2);
        Assert.Equal(CredentialsErrors.VcIssuerNotAccredited, (await flow.VerifyAsync(flow.Present(after, HotelAsks), HotelAsks)).Code);
    }

    [Fact]
    public async Task Tampered_added_replayed_and_misbound_presentations_are_refused()
    {
        var flow = await new CredentialsFlow(node, "PassCredential").SetUpAsync();
        var credential = flow.Issue(5);
        var presentation = flow.Present(credential, HotelAsks);

        // A disclosure changed: its digest is not one the issuer signed.
        var parts = presentation.Split('~');
        var forged = SdJwt.Disclose("age_over_18", CredentialsFlow.Value("true"));
        parts[1] = forged;
        Assert.Equal(CredentialsErrors.VcDisclosureInvalid, (await flow.VerifyAsync(string.Join('~', parts), HotelAsks)).Code);

        // A claim added that the issuer never signed (with a fresh key binding over it).
        var withExtra = new SdJwt(presentation.Split('~')[0], [.. presentation.Split('~')[1..^1], SdJwt.Disclose("given_name", CredentialsFlow.Value("Mallory"))], null);
        Assert.Equal(CredentialsErrors.VcDisclosureInvalid, (await flow.VerifyAsync(Rebind(withExtra, flow.Holder, "n-1", "hotel"), HotelAsks)).Code);

        // Replayed: the same presentation to another nonce, or to another verifier.
        Assert.Equal(CredentialsErrors.VcNonceMismatch, (await flow.VerifyAsync(presentation, HotelAsks, nonce: "n-2")).Code);
        Assert.Equal(CredentialsErrors.VcAudienceMismatch, (await flow.VerifyAsync(presentation, HotelAsks, audience: "bank")).Code);

        // A thief who has the credential but not the holder key.
        using var thief = KeyPair.Generate();
        Assert.Throws<ArgumentException>(() => flow.Present(credential, HotelAsks, holder: thief));
        var stolen = Rebind(SdJwt.TryParse(presentation)! with { KeyBinding = null }, thief, "n-1", "hotel");
        Assert.Equal(CredentialsErrors.VcHolderBindingInvalid, (await flow.VerifyAsync(stolen, HotelAsks)).Code);
        Assert.Equal(CredentialsErrors.VcHolderBindingInvalid, (await flow.VerifyAsync(SdJwt.TryParse(presentation)!.WithoutKeyBinding, HotelAsks)).Code);

        // A disclosure dropped after the holder signed: sd_hash no longer covers what is shown.
        var dropped = SdJwt.TryParse(presentation)!;
        Assert.Equal(CredentialsErrors.VcHolderBindingInvalid, (await flow.VerifyAsync((dropped with { Disclosures = [] }).ToString(), [])).Code);

        // Asking for a claim the holder did not disclose.
        Assert.Equal(CredentialsErrors.VcClaimMissing, (await flow.VerifyAsync(presentation, ["given_name"])).Code);
        // An issuer signature over other bytes.
        var jwt = parts[0].Split('.');
        var resigned = string.Join('.', jwt[0], jwt[1], Jose.Encode(new byte[64])) + "~" + string.Join('~', presentation.Split('~')[1..]);
        Assert.Equal(CredentialsErrors.VcSignatureInvalid, (await flow.VerifyAsync(resigned, HotelAsks)).Code);
        Assert.Equal(CredentialsErrors.VcMalformed, (await VerifyMalformed(flow, "not a credential")).Code);
    }

    [Fact]
    public async Task Rotated_keys_sign_only_inside_their_period_and_a_deactivated_did_signs_nothing()
    {
        var flow = await new CredentialsFlow(node, "LicenceCredential").SetUpAsync();
        using var next = KeyPair.Generate();
        var beforeRotation = flow.Issue(1);
        await Task.Delay(1_100);
        await flow.RunAsync(flow.Issuer, Operations.UpdateDid(flow.Issuer.Address, [new DidMethod("key-2", next.PublicKey, DidPurposes.All)], ["key-1"]));
        await Task.Delay(1_100);
        Assert.True((await flow.VerifyAsync(flow.Present(beforeRotation, HotelAsks), HotelAsks)).Ok);
        var rotatedOut = flow.Issue(2);
        Assert.Equal(CredentialsErrors.VcKeyNotValid, (await flow.VerifyAsync(flow.Present(rotatedOut, HotelAsks), HotelAsks)).Code);
        var backdated = flow.Issue(3, now: DateTimeOffset.UtcNow.AddMinutes(-10), key: "key-2", signer: next);
        Assert.Equal(CredentialsErrors.VcKeyNotValid, (await flow.VerifyAsync(flow.Present(backdated, HotelAsks), HotelAsks)).Code);
        var current = flow.Issue(4, key: "key-2", signer: next);
        Assert.True((await flow.VerifyAsync(flow.Present(current, HotelAsks), HotelAsks)).Ok);

        // A stranger's update is refused on chain.
        using var stranger = KeyPair.Generate();
        var refused = await flow.SubmitAsync(stranger, Operations.UpdateDid(flow.Issuer.Address, [new DidMethod("key-3", stranger.PublicKey, DidPurposes.All)], []));
        Assert.Equal(CredentialsErrors.NotController, refused.Code);

        await flow.RunAsync(flow.Issuer, Operations.DeactivateDid(flow.Issuer.Address));
        Assert.Equal(CredentialsErrors.VcDidDeactivated, (await flow.VerifyAsync(flow.Present(current, HotelAsks), HotelAsks)).Code);
    }

    [Fact]
    public async Task A_did_resolves_over_the_did_resolution_binding_with_its_history()
    {
        var flow = await new CredentialsFlow(node, "ResolverCredential").SetUpAsync();
        var did = CredentialRules.Did(flow.Issuer.Address);
        using var http = node.CreateClient();
        var response = await http.GetAsync($"v1/identifiers/{did}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/did-resolution", response.Content.Headers.ContentType!.MediaType);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var document = result.RootElement.GetProperty("didDocument");
        Assert.Equal(did, document.GetProperty("id").GetString());
        var jwk = document.GetProperty("verificationMethod")[0].GetProperty("publicKeyJwk");
        Assert.True(Jose.TryReadJwk(jwk, out var key));
        Assert.Equal(flow.Issuer.PublicKey, key);
        Assert.Equal($"{did}#key-1", document.GetProperty("assertionMethod")[0].GetString());

        using var documentOnly = new HttpRequestMessage(HttpMethod.Get, $"v1/identifiers/{did}");
        documentOnly.Headers.Accept.ParseAdd("application/did+ld+json");
        var plain = await http.SendAsync(documentOnly);
        Assert.Equal("application/did+ld+json", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal(did, JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());

        var missing = await http.GetAsync($"v1/identifiers/{CredentialRules.Did(KeyPair.Generate().Address)}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("notFound", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var invalid = await http.GetAsync("v1/identifiers/did:example:123");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("invalidDid", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var versionTime = CredentialIssuer.Rfc3339(DateTimeOffset.UtcNow.AddSeconds(1));
        await Task.Delay(1_500);
        using var next = KeyPair.Generate();
        await flow.RunAsync(flow.Issuer, Operations.UpdateDid(flow.Issuer.Address, [new DidMethod("key-2", next.PublicKey, DidPurposes.Authentication)], ["key-1"]));
        using var client = node.Client();
        var view = (await client.GetDidAsync(did))!;
        Assert.Equal(["key-2"], view.Document.VerificationMethod.Select(m => m.Id[(did.Length + 1)..]));
        Assert.Empty(view.Document.AssertionMethod);
        Assert.NotNull(view.Keys.Single(k => k.Id.EndsWith("#key-1", StringComparison.Ordinal)).Removed);
        Assert.Equal("2", view.Metadata.VersionId);
        var then = await http.GetAsync($"v1/identifiers/{did}?versionTime={Uri.EscapeDataString(versionTime)}");
        using var old = JsonDocument.Parse(await then.Content.ReadAsStringAsync());
        Assert.Equal($"{did}#key-1", old.RootElement.GetProperty("didDocument").GetProperty("verificationMethod")[0].GetProperty("id").GetString());

        await flow.RunAsync(flow.Issuer, Operations.DeactivateDid(flow.Issuer.Address));
        var gone = await http.GetAsync($"v1/identifiers/{did}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.True(JsonDocument.Parse(await gone.Content.ReadAsStringAsync()).RootElement.GetProperty("didDocumentMetadata").GetProperty("deactivated").GetBoolean());
    }

    [Fact]
    public async Task A_status_list_is_served_as_an_encoded_bitstring()
    {
        var flow = await new CredentialsFlow(node, "StatusCredential").SetUpAsync();
        await flow.RunAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Revocation, [0, 9, 131_071], true));
        using var client = node.Client();
        var list = (await client.GetStatusListAsync(CredentialRules.StatusListUrl(flow.Issuer.Address, CredentialsFlow.Revocation), encoded: true))!;
        Assert.Equal((131_072u, 3u, "revocation"), (list.Size, list.Set, list.Purpose));
        Assert.StartsWith("u", list.EncodedList, StringComparison.Ordinal);
        Assert.True(Jose.TryDecode(list.EncodedList![1..], out var gzip));
        using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        using var bits = new MemoryStream();
        unzip.CopyTo(bits);
        var bytes = bits.ToArray();
        Assert.Equal(16_384, bytes.Length);
        Assert.Equal((0x80, 0x40, 0x01), (bytes[0], bytes[1], bytes[^1]));
    }

    [Fact]
    public async Task A_trust_bundle_with_a_changed_value_or_from_another_chain_is_not_trusted()
    {
        var flow = await new CredentialsFlow(node, "BundleCredential").SetUpAsync();
        using var client = node.Client();
        var request = new TrustRequest(flow.Issuer.Address, "key-1", flow.Type, []);
        var bundle = await client.GetTrustBundleAsync(request);
        Assert.NotNull(TrustState.TryVerify(bundle, node.Genesis, out _));
        var accreditation = bundle.Proofs.Single(p => p.Key == CredentialsState.AccreditationKey(flow.Issuer.Address, flow.Type));
        accreditation.Value = accreditation.Value![..^2] + (accreditation.Value[^2..] == "00" ? "01" : "00");
        Assert.Null(TrustState.TryVerify(bundle, node.Genesis, out var problem));
        Assert.NotEmpty(problem);

        using var other = new TestNode();
        var fresh = await client.GetTrustBundleAsync(request);
        Assert.Null(TrustState.TryVerify(fresh, other.Genesis, out _));
    }

    [Fact]
    public async Task The_explorer_shows_a_did_with_its_key_history_and_the_registry_with_status_counts_only()
    {
        var flow = await new CredentialsFlow(node, "ExplorerCredential").SetUpAsync();
        await flow.RunAsync(flow.Issuer, Operations.SetCredentialStatus(flow.Issuer.Address, CredentialsFlow.Revocation, [4242], true));
        using var next = KeyPair.Generate();
        await flow.RunAsync(flow.Issuer, Operations.UpdateDid(flow.Issuer.Address, [new DidMethod("key-2", next.PublicKey, DidPurposes.All)], ["key-1"]));
        using var http = node.CreateClient();
        var registry = await http.GetStringAsync("/id");
        Assert.Contains("ExplorerCredential", registry, StringComparison.Ordinal);
        Assert.Contains("data-status-lists", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", registry, StringComparison.Ordinal);
        var page = await http.GetStringAsync($"/id/{flow.Issuer.Address}");
        Assert.Contains("#key-1", page, StringComparison.Ordinal);
        Assert.Contains("#key-2", page, StringComparison.Ordinal);
        Assert.Contains("current", page, StringComparison.Ordinal);
        Assert.Contains("accredited", page, StringComparison.Ordinal);
        Assert.Contains("No DID", await http.GetStringAsync($"/id/{KeyPair.Generate().Address}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registered_device_resolves_as_a_did_controlled_by_its_owner()
    {
        var flow = new CredentialsFlow(node, "DeviceCredential");
        using var device = KeyPair.Generate();
        using var owner = KeyPair.Generate();
        await flow.RunAsync(flow.Admin, Operations.RegisterDevice(device, node.Genesis.ChainId, "voltmotors", "EV-9", "VIN-9", owner.Address));
        using var client = node.Client();
        var resolved = (await client.ResolveDidAsync(CredentialRules.Did(device.Address)))!;
        var document = resolved.DidDocument!;
        Assert.Equal([CredentialRules.Did(owner.Address)], document.Controller);
        Assert.Equal($"{CredentialRules.Did(device.Address)}#device", document.VerificationMethod.Single().Id);
        Assert.Null(resolved.DidResolutionMetadata.Error);
        Assert.True((await client.GetDidAsync(device.Address.ToString()))!.Device);
    }

    private static string Rebind(SdJwt presented, KeyPair holder, string nonce, string audience)
    {
        var header = Jose.Json(w => { w.WriteStartObject(); w.WriteString("alg", "ES256"); w.WriteString("typ", "kb+jwt"); w.WriteEndObject(); });
        var payload = Jose.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("iat", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            w.WriteString("aud", audience);
            w.WriteString("nonce", nonce);
            w.WriteString("sd_hash", Jose.Sha256(presented.WithoutKeyBinding));
            w.WriteEndObject();
        });
        return (presented with { KeyBinding = Jose.Sign(header, payload, holder) }).ToString();
    }

    private async Task<PresentationResult> VerifyMalformed(CredentialsFlow flow, string text)
    {
        using var client = node.Client();
        var bundle = await client.GetTrustBundleAsync(new TrustRequest(flow.Issuer.Address, "key-1", flow.Type, []));
        var trust = TrustState.TryVerify(bundle, node.Genesis, out var problem) ?? throw new InvalidOperationException(problem);
        return PresentationVerifier.Verify(text, new PresentationRequest("n", "a", []), trust, DateTimeOffset.UtcNow);
    }
}

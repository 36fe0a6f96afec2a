using System.Net;
using System.Text;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Every kind of bad input gets its precise code, changes no state, and the node keeps serving.
/// Admission refusals come back as problem details; execution refusals as failed receipts.
/// </summary>
public sealed class BadInputTests : IClassFixture<TestNode>
{
    private readonly TestNode _node;

    public BadInputTests(TestNode node) => _node = node;

    private async Task<ThingLedgerException> RefusedAsync(Transaction tx)
    {
        using var client = _node.Client();
        return await Assert.ThrowsAsync<ThingLedgerException>(() => client.SubmitAsync(tx));
    }

    private async Task<ThingLedgerException> RefusedRawAsync(string hex)
    {
        using var client = _node.Client();
        return await Assert.ThrowsAsync<ThingLedgerException>(() => client.SubmitEncodedAsync([hex]).ContinueWith(t =>
            t.Result.Results[0].Code is { } code ? throw new ThingLedgerException(code, t.Result.Results[0].Message ?? "", 400) : t.Result));
    }

    private async Task<string?> ExecutionCodeAsync(Transaction tx)
    {
        using var client = _node.Client();
        var result = await client.SubmitAsync(tx, wait: true);
        Assert.Equal(TxState.Failed, result.Status);
        return result.Code;
    }

    private async Task AssertStillServingAsync()
    {
        using var client = _node.Client();
        var admin = await _node.AccountAsync(_node.Admin("gridco"));
        var ok = await client.SubmitAsync(admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor)), wait: true);
        Assert.Equal(TxState.Committed, ok.Status);
    }

    private string ChainId => _node.Genesis.ChainId;

    [Fact]
    public async Task Malformed_truncated_and_trailing_bytes_are_TX_MALFORMED()
    {
        using var key = KeyPair.Generate();
        var good = Convert.ToHexStringLower(Operations.Burn("X", 1).Sign(ChainId, key, 1).Encode());
        Assert.Equal(ErrorCodes.TxMalformed, (await RefusedRawAsync("zz")).Code);
        Assert.Equal(ErrorCodes.TxMalformed, (await RefusedRawAsync(good[..^2])).Code);
        Assert.Equal(ErrorCodes.TxMalformed, (await RefusedRawAsync(good + "00")).Code);
        Assert.Equal(ErrorCodes.TxMalformed, (await RefusedRawAsync("03" + good[2..])).Code);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Wrong_chain_is_refused()
    {
        using var key = KeyPair.Generate();
        Assert.Equal(ErrorCodes.WrongChain, (await RefusedAsync(Operations.Burn("X", 1).Sign("another-chain", key, 1))).Code);
    }

    [Fact]
    public async Task Wrong_domain_tag_bad_and_high_S_signatures_are_refused()
    {
        using var key = KeyPair.Generate();
        var tx = Operations.Burn("X", 1).Sign(ChainId, key, 1);
        // Signed as if it were an attestation: same key, same body, other domain.
        var otherDomain = tx.WithSignature(key.Sign(DomainTags.Attestation, ChainId, tx.EncodeBody()));
        Assert.Equal(ErrorCodes.SignatureInvalid, (await RefusedAsync(otherDomain)).Code);
        using var other = KeyPair.Generate();
        Assert.Equal(ErrorCodes.SignatureInvalid, (await RefusedAsync(tx.WithSignature(other.Sign(tx.Id)))).Code);
        var high = await RefusedAsync(tx.WithSignature(Signature.ToHighS(tx.Signature)));
        Assert.Equal(ErrorCodes.SignatureHighS, high.Code);
        Assert.Equal(422, high.Status);
    }

    [Fact]
    public async Task Unknown_module_or_operation_is_refused()
    {
        using var key = KeyPair.Generate();
        Assert.Equal(ErrorCodes.UnknownModule, (await RefusedAsync(Transaction.Create(ChainId, "lottery", "draw", [], key, 1, ulong.MaxValue))).Code);
        Assert.Equal(ErrorCodes.UnknownOperation, (await RefusedAsync(Transaction.Create(ChainId, "tokens", "print", [], key, 1, ulong.MaxValue))).Code);
    }

    [Fact]
    public async Task Nonce_reuse_and_gaps_are_refused_and_expired_txs_too()
    {
        var admin = await _node.AccountAsync(_node.Admin("homeappliance"));
        using var client = _node.Client();
        var first = admin.Sign(Operations.AddMember("homeappliance", KeyPair.Generate().Address, Roles.Operator));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(first, wait: true)).Status);
        var reused = Operations.AddMember("homeappliance", KeyPair.Generate().Address, Roles.Operator).Sign(ChainId, admin.Key, first.Nonce);
        Assert.Equal(ErrorCodes.NonceReused, (await RefusedAsync(reused)).Code);
        var gap = Operations.AddMember("homeappliance", KeyPair.Generate().Address, Roles.Operator).Sign(ChainId, admin.Key, admin.NextNonce + 5);
        var gapError = await RefusedAsync(gap);
        Assert.Equal(ErrorCodes.NonceGap, gapError.Code);
        Assert.Equal(409, gapError.Status);
        var expired = Operations.AddMember("homeappliance", KeyPair.Generate().Address, Roles.Operator).Sign(ChainId, admin.Key, admin.NextNonce, expiryHeight: 0);
        Assert.Equal(ErrorCodes.TxExpired, (await RefusedAsync(expired)).Code);
        // None of the refusals consumed the nonce.
        Assert.Equal(admin.NextNonce, await client.GetNextNonceAsync(admin.Address));
    }

    [Fact]
    public async Task A_duplicate_submission_is_refused_while_the_first_waits()
    {
        using var key = KeyPair.Generate();
        using var client = _node.Client();
        var tx = Operations.Burn("NONE", 1).Sign(ChainId, key, 1);
        var response = await client.SubmitAsync([tx, tx]);
        Assert.Equal(1, response.Accepted);
        Assert.Contains(response.Results, r => r.Code is ErrorCodes.TxDuplicate or ErrorCodes.NonceReused);
    }

    [Fact]
    public async Task Oversized_txs_batches_and_bodies_are_refused()
    {
        using var key = KeyPair.Generate();
        var oversized = Transaction.Create(ChainId, "tokens", "burn", new byte[Transaction.MaxPayloadBytes + 10], key, 1, ulong.MaxValue);
        var hex = Convert.ToHexStringLower(oversized.Encode());
        Assert.Equal(ErrorCodes.TxTooLarge, (await RefusedRawAsync(hex)).Code);

        var http = _node.CreateClient();
        var tooMany = "{\"txs\":[" + string.Join(',', Enumerable.Repeat("\"00\"", 10_001)) + "]}";
        var batch = await http.PostAsync("/v1/txs", new StringContent(tooMany, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, batch.StatusCode);
        Assert.Contains(ErrorCodes.BatchTooLarge, await batch.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var empty = await http.PostAsync("/v1/txs", new StringContent("{\"txs\":[]}", Encoding.UTF8, "application/json"));
        Assert.Contains(ErrorCodes.BatchEmpty, await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var huge = "{\"tx\":\"" + new string('a', 5 * 1024 * 1024) + "\"}";
        var body = await http.PostAsync("/v1/txs", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, body.StatusCode);
        var bodyText = await body.Content.ReadAsStringAsync();
        Assert.True(bodyText.Contains(ErrorCodes.RequestTooLarge, StringComparison.Ordinal), bodyText);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Members_only_operations_from_a_stranger_are_refused_at_admission_and_a_member_without_the_role_fails_in_execution()
    {
        using var stranger = KeyPair.Generate();
        using var client = _node.Client();
        var stray = KeyPair.Generate().Address;
        var refused = await RefusedAsync(Operations.AddMember("voltmotors", stray, Roles.Admin).Sign(ChainId, stranger, 1));
        Assert.Equal((ErrorCodes.Unauthorised, 403), (refused.Code, refused.Status));
        using var device = KeyPair.Generate();
        // Nothing was ordered: the stranger's nonce 1 is still unused.
        Assert.Equal(ErrorCodes.Unauthorised, (await RefusedAsync(Operations.RegisterDevice(device, ChainId, "voltmotors", "EV-1", "S-1", stranger.Address).Sign(ChainId, stranger, 1))).Code);
        Assert.Equal(1UL, (await client.GetAccountAsync(stranger.Address)).Nonce);

        var gridcoAdmin = await _node.AccountAsync(_node.Admin("gridco"));
        Assert.Equal(ErrorCodes.Unauthorised, await ExecutionCodeAsync(gridcoAdmin.Sign(Operations.AddMember("voltmotors", stray, Roles.Admin))));
        Assert.Null((await client.GetAccountAsync(stray)).Member);
        Assert.Null(await client.GetDeviceAsync(device.Address));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Device_rules_hold_over_http_duplicate_and_revoked()
    {
        var admin = await _node.AccountAsync(_node.Admin("voltmotors"));
        using var client = _node.Client();
        using var car = KeyPair.Generate();
        using var owner = KeyPair.Generate();
        var serial = "VIN-" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterDevice(car, admin.ChainId, "voltmotors", "EV-7", serial, owner.Address)), wait: true)).Status);
        Assert.Equal(DevicesErrors.DeviceKeyExists, await ExecutionCodeAsync(admin.Sign(Operations.RegisterDevice(car, admin.ChainId, "voltmotors", "EV-7", serial + "b", owner.Address))));
        Assert.Equal(DevicesErrors.DeviceSerialExists, await ExecutionCodeAsync(admin.Sign(Operations.RegisterDevice(KeyPair.Generate(), admin.ChainId, "voltmotors", "EV-7", serial, owner.Address))));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RevokeDevice(car.Address, "stolen")), wait: true)).Status);
        var ownerAccount = await _node.AccountAsync(owner);
        Assert.Equal(DevicesErrors.DeviceRevoked, await ExecutionCodeAsync(ownerAccount.Sign(Operations.TransferDevice(car.Address, admin.Address))));
        var device = await client.GetDeviceAsync(car.Address);
        Assert.Equal((DeviceStatus.Revoked, owner.Address.ToString()), (device!.Status, device.Owner));
        var listed = await client.ListDevicesAsync(owner: owner.Address);
        Assert.Single(listed.Items);
    }

    [Fact]
    public async Task Token_rules_hold_over_http_balance_cap_and_overflow()
    {
        var admin = await _node.AccountAsync(_node.Admin("gridco"));
        using var client = _node.Client();
        var symbol = "C" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await client.SubmitAsync(admin.Sign(Operations.CreateToken(symbol, "Capped", 0, Roles.Admin, 100)), wait: true);
        await client.SubmitAsync(admin.Sign(Operations.Mint(symbol, admin.Address, 100)), wait: true);
        Assert.Equal(TokensErrors.MintCapExceeded, await ExecutionCodeAsync(admin.Sign(Operations.Mint(symbol, admin.Address, 1))));
        Assert.Equal(TokensErrors.InsufficientBalance, await ExecutionCodeAsync(admin.Sign(Operations.Transfer(symbol, KeyPair.Generate().Address, 101))));

        var big = "U" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await client.SubmitAsync(admin.Sign(Operations.CreateToken(big, "Uncapped", 0, Roles.Admin, 0)), wait: true);
        await client.SubmitAsync(admin.Sign(Operations.Mint(big, admin.Address, UInt128.MaxValue)), wait: true);
        Assert.Equal(ErrorCodes.AmountOverflow, await ExecutionCodeAsync(admin.Sign(Operations.Mint(big, admin.Address, 1))));
        Assert.Equal("100", (await client.GetTokenAsync(symbol))!.Supply);
        Assert.Equal(UInt128.MaxValue.ToString(), (await client.GetTokenAsync(big))!.Supply);
    }

    [Fact]
    public async Task Bad_query_parameters_get_precise_errors()
    {
        var http = _node.CreateClient();
        foreach (var path in new[] { "/v1/txs/not-a-hash", "/v1/accounts/tl00", "/v1/devices/xyz", "/v1/blocks/by-hash/zz" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(ErrorCodes.BadRequest, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/txs/{new string('0', 64)}")).StatusCode);
    }
}

using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.AccessLogs;

namespace ThingLedger.Execution.Tests.Modules.AccessLogs;

/// <summary>Access logs: a subject's own entries, numbered, holding only a commitment (docs/ACCESS.md).</summary>
public class AccessModuleTests
{
    private readonly TestChain _chain = new();

    [Fact]
    public void A_subject_records_entries_into_its_own_log_only()
    {
        using var mei = KeyPair.Generate();
        var salt = new byte[16];
        var commitment = AccessCommitments.OfCredentialCheck("grand-hotel", "ResidentCredential", "check-in", 1_700_000_000_000, salt);
        var first = _chain.Run(_chain.Tx(mei, AccessNames.ModuleName, AccessNames.Record, new AccessRecordPayload(AccessCommitments.CredentialCheck, commitment)));
        Assert.True(first.Succeeded);
        Assert.Equal(("access-recorded", "1"), (first.Events[0].Name, first.Events[0].Attributes.Single(a => a.Key == "entry").Value));
        Assert.True(_chain.Run(_chain.Tx(mei, AccessNames.ModuleName, AccessNames.Record, new AccessRecordPayload("credential-check", Hash.Sha256([2])))).Succeeded);
        var entry = Payload.Get(_chain, AccessLog.EntryKey(mei.Address, 1), AccessEntry.Read)!;
        Assert.Equal((commitment, mei.Address), (entry.Commitment, entry.RecordedBy));
        Assert.Equal(2UL, Counters.Read(_chain, AccessLog.CountKey(mei.Address)));
        Assert.Null(_chain.Get(AccessLog.CountKey(_chain.AcmeAdmin.Address)));
    }

    [Fact]
    public void A_kind_that_is_not_a_label_is_refused()
    {
        using var mei = KeyPair.Generate();
        _chain.AssertRefused(AccessErrors.KindInvalid, () => _chain.Run(_chain.Tx(mei, AccessNames.ModuleName, AccessNames.Record, new AccessRecordPayload("Credential Check", Hash.Zero))));
        _chain.AssertRefused(AccessErrors.KindInvalid, () => _chain.Run(_chain.Tx(mei, AccessNames.ModuleName, AccessNames.Record, new AccessRecordPayload("", Hash.Zero))));
    }

    [Fact]
    public void A_commitment_changes_with_every_field_and_the_salt()
    {
        var salt = new byte[16];
        var base_ = AccessCommitments.OfCredentialCheck("grand-hotel", "ResidentCredential", "check-in", 1, salt);
        Assert.NotEqual(base_, AccessCommitments.OfCredentialCheck("city-bank", "ResidentCredential", "check-in", 1, salt));
        Assert.NotEqual(base_, AccessCommitments.OfCredentialCheck("grand-hotel", "KycCredential", "check-in", 1, salt));
        Assert.NotEqual(base_, AccessCommitments.OfCredentialCheck("grand-hotel", "ResidentCredential", "account", 1, salt));
        Assert.NotEqual(base_, AccessCommitments.OfCredentialCheck("grand-hotel", "ResidentCredential", "check-in", 2, salt));
        Assert.NotEqual(base_, AccessCommitments.OfCredentialCheck("grand-hotel", "ResidentCredential", "check-in", 1, [1, .. salt[1..]]));
        Assert.Equal(Hash.Sha256("thingledger/access/credential-check/v1\ngrand-hotel\nResidentCredential\ncheck-in\n1\n00000000000000000000000000000000"u8), base_);
    }
}

using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Finance;
using static ThingLedger.Execution.Tests.Modules.Finance.FinanceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Finance;

/// <summary>
/// A buyer, its supplier (tier 1), the supplier's own supplier (tier 2) and a bank: a receivable
/// acknowledged by the buyer, split down the chain, sold and pledged once each, paid at maturity.
/// </summary>
public sealed class ReceivableTests
{
    private readonly FinanceTestChain _f = new();
    private readonly KeyPair _buyer = KeyPair.Generate();
    private readonly KeyPair _tier1 = KeyPair.Generate();
    private readonly KeyPair _tier2 = KeyPair.Generate();
    private readonly KeyPair _bank = KeyPair.Generate();
    private readonly KeyPair _otherBank = KeyPair.Generate();
    private readonly Hash _invoice = Hash.Sha256("invoice 2026-0042"u8);

    public ReceivableTests()
    {
        _f.Fund(Cny, _buyer, 100_000);
        _f.Fund(Cny, _bank, 100_000);
        _f.Fund(Cny, _otherBank, 100_000);
    }

    private ulong Due => _f.Now + 1_000;

    private Hash Issue(UInt128 amount, ulong? due = null, KeyPair? supplier = null, Hash? invoice = null)
    {
        _f.Ok(supplier ?? _tier1, FinanceNames.Issue, new IssueReceivablePayload(_buyer.Address, Cny, amount, due ?? Due, invoice ?? _invoice, []));
        return FinanceIds.Receivable((supplier ?? _tier1).Address, _buyer.Address, invoice ?? _invoice);
    }

    private Hash Acknowledged(UInt128 amount, ulong? due = null)
    {
        var id = Issue(amount, due);
        _f.Ok(_buyer, FinanceNames.Acknowledge, new ReceivablePayload(id));
        return id;
    }

    private OfferPayload Offer(Hash id, ushort part, KeyPair lender, UInt128 price) => new(id, part, lender.Address, price, _f.Now + 500);

    private PartRecord Part(Hash id, ushort n) => FinanceModule.ReadPart(_f.Chain, id, n)!;

    [Fact]
    public void A_receivable_is_split_down_the_chain_financed_once_per_part_and_each_holder_is_paid_at_maturity()
    {
        var id = Acknowledged(10_000);
        // Tier 1 pays tier 2 with 4,000 of it, sells the rest to the bank at a discount; tier 2 borrows 3,000 against its part.
        _f.Ok(_tier1, FinanceNames.Split, new SplitPayload(id, 0, _tier2.Address, 4_000));
        _f.Ok(_tier1, FinanceNames.Sell, Offer(id, 0, _bank, 5_700));
        var sold = _f.Ok(_bank, FinanceNames.Take, new PartPayload(id, 0));
        Assert.Equal("sale", Events(sold, "financed").Single()["kind"]);
        _f.Ok(_tier2, FinanceNames.Pledge, Offer(id, 1, _bank, 3_000));
        _f.Ok(_bank, FinanceNames.Take, new PartPayload(id, 1));
        Assert.Equal((UInt128)5_700, _f.Balance(_tier1));
        Assert.Equal((UInt128)3_000, _f.Balance(_tier2));
        Assert.Equal((UInt128)(100_000 - 5_700 - 3_000), _f.Balance(_bank));
        Assert.Equal((_bank.Address, (UInt128)6_000, true), (Part(id, 0).Holder, Part(id, 0).Amount, Part(id, 0).Financed));
        Assert.Equal((_tier2.Address, _bank.Address, (UInt128)3_000), (Part(id, 1).Holder, Part(id, 1).Pledgee!.Value, Part(id, 1).Loan));

        // The buyer pays early into escrow; nothing is paid out before the due date.
        _f.Ok(_buyer, FinanceNames.Pay, new ReceivablePayload(id));
        Assert.Equal((UInt128)10_000, _f.Balance(FinanceModule.Escrow));
        _f.Refused(FinanceErrors.NotDue, _tier2, FinanceNames.Settle, new ReceivablePayload(id));

        _f.Chain.Clock += 2_000;
        var settled = _f.Ok(_tier2, FinanceNames.Settle, new ReceivablePayload(id));
        Assert.Equal(3, Events(settled, "paid").Count());
        Assert.All(Events(settled, "paid"), e => Assert.Equal("false", e["late"]));
        Assert.Equal((UInt128)(100_000 - 5_700 - 3_000 + 6_000 + 3_000), _f.Balance(_bank));
        Assert.Equal((UInt128)(3_000 + 1_000), _f.Balance(_tier2));
        Assert.Equal(UInt128.Zero, _f.Balance(FinanceModule.Escrow));
        var record = FinanceModule.ReadReceivable(_f.Chain, id)!;
        Assert.True(record.Settled);
        Assert.False(record.LateAt(_f.Now));
        Assert.Equal((UInt128)10_000, record.Paid);

        // The log tells the whole story, in order.
        var log = Enumerable.Range(0, (int)record.LogCount).Select(n => FinanceModule.ReadLog(_f.Chain, id, (ulong)n)!.Kind).ToList();
        Assert.Equal([LogKind.Issued, LogKind.Acknowledged, LogKind.Split, LogKind.Offered, LogKind.Sold, LogKind.Offered, LogKind.Pledged,
            LogKind.Funded, LogKind.Paid, LogKind.Paid, LogKind.Paid], log);
        _f.Refused(FinanceErrors.AlreadyPaid, _buyer, FinanceNames.Pay, new ReceivablePayload(id));
        _f.Refused(FinanceErrors.AlreadyPaid, _bank, FinanceNames.Settle, new ReceivablePayload(id));
    }

    [Fact]
    public void A_part_is_financed_once_whoever_asks_and_by_whatever_route()
    {
        var id = Acknowledged(10_000);
        _f.Ok(_tier1, FinanceNames.Sell, Offer(id, 0, _bank, 9_000));
        _f.Refused(FinanceErrors.OfferOpen, _tier1, FinanceNames.Pledge, Offer(id, 0, _otherBank, 9_000));
        _f.Refused(FinanceErrors.NoOffer, _otherBank, FinanceNames.Take, new PartPayload(id, 0));
        _f.Ok(_bank, FinanceNames.Take, new PartPayload(id, 0));
        // The old holder no longer holds it; the new holder (the bank) cannot finance it again, nor split it.
        _f.Refused(FinanceErrors.NotHolder, _tier1, FinanceNames.Pledge, Offer(id, 0, _otherBank, 9_000));
        _f.Refused(FinanceErrors.AlreadyFinanced, _bank, FinanceNames.Sell, Offer(id, 0, _otherBank, 9_500));
        _f.Refused(FinanceErrors.AlreadyFinanced, _bank, FinanceNames.Pledge, Offer(id, 0, _otherBank, 9_500));
        _f.Refused(FinanceErrors.AlreadyFinanced, _bank, FinanceNames.Split, new SplitPayload(id, 0, _otherBank.Address, 1_000));

        // A pledged part cannot be pledged again or sold until the pledgee releases it.
        var second = Issue(5_000, invoice: Hash.Sha256("invoice 2026-0043"u8));
        _f.Ok(_buyer, FinanceNames.Acknowledge, new ReceivablePayload(second));
        _f.Ok(_tier1, FinanceNames.Pledge, Offer(second, 0, _bank, 2_000));
        _f.Ok(_bank, FinanceNames.Take, new PartPayload(second, 0));
        _f.Refused(FinanceErrors.AlreadyFinanced, _tier1, FinanceNames.Pledge, Offer(second, 0, _otherBank, 2_000));
        _f.Refused(FinanceErrors.AlreadyFinanced, _tier1, FinanceNames.Sell, Offer(second, 0, _otherBank, 4_000));
        _f.Refused(FinanceErrors.NotPledgee, _otherBank, FinanceNames.Release, new PartPayload(second, 0));
        _f.Ok(_bank, FinanceNames.Release, new PartPayload(second, 0));
        _f.Ok(_tier1, FinanceNames.Sell, Offer(second, 0, _otherBank, 4_000));
    }

    [Fact]
    public void Bad_receivable_input_is_refused_with_its_code_and_changes_nothing()
    {
        var unacknowledged = Issue(1_000);
        _f.Refused(FinanceErrors.ReceivableExists, _tier1, FinanceNames.Issue, new IssueReceivablePayload(_buyer.Address, Cny, 7, Due, _invoice, []));
        _f.Refused(FinanceErrors.NotAcknowledged, _tier1, FinanceNames.Sell, Offer(unacknowledged, 0, _bank, 900));
        _f.Refused(FinanceErrors.NotAcknowledged, _tier1, FinanceNames.Pledge, Offer(unacknowledged, 0, _bank, 900));
        _f.Refused(FinanceErrors.NotBuyer, _tier1, FinanceNames.Acknowledge, new ReceivablePayload(unacknowledged));
        _f.Refused(FinanceErrors.NotBuyer, _bank, FinanceNames.Acknowledge, new ReceivablePayload(unacknowledged));
        _f.Ok(_buyer, FinanceNames.Acknowledge, new ReceivablePayload(unacknowledged));
        _f.Refused(FinanceErrors.AlreadyAcknowledged, _buyer, FinanceNames.Acknowledge, new ReceivablePayload(unacknowledged));

        _f.Refused(FinanceErrors.SplitExceeds, _tier1, FinanceNames.Split, new SplitPayload(unacknowledged, 0, _tier2.Address, 1_001));
        _f.Refused(FinanceErrors.PartNotFound, _tier1, FinanceNames.Split, new SplitPayload(unacknowledged, 1, _tier2.Address, 1));
        _f.Refused(FinanceErrors.NotHolder, _tier2, FinanceNames.Split, new SplitPayload(unacknowledged, 0, _tier2.Address, 1));
        _f.Ok(_tier1, FinanceNames.Split, new SplitPayload(unacknowledged, 0, _tier2.Address, 600));
        _f.Refused(FinanceErrors.SplitExceeds, _tier1, FinanceNames.Split, new SplitPayload(unacknowledged, 0, _tier2.Address, 401));
        _f.Refused(FinanceErrors.OfferInvalid, _tier1, FinanceNames.Sell, Offer(unacknowledged, 0, _bank, 401));
        _f.Refused(FinanceErrors.OfferInvalid, _tier1, FinanceNames.Sell, new OfferPayload(unacknowledged, 0, _bank.Address, 100, _f.Now));

        _f.Refused(FinanceErrors.ReceivableInvalid, _tier1, FinanceNames.Issue, new IssueReceivablePayload(_buyer.Address, Cny, 0, Due, Hash.Sha256([9]), []));
        _f.Refused(FinanceErrors.ReceivableInvalid, _tier1, FinanceNames.Issue, new IssueReceivablePayload(_tier1.Address, Cny, 5, Due, Hash.Sha256([9]), []));
        _f.Refused(FinanceErrors.ReceivableInvalid, _tier1, FinanceNames.Issue, new IssueReceivablePayload(_buyer.Address, Cny, 5, _f.Now, Hash.Sha256([9]), []));
        _f.Refused(FinanceErrors.ReceivableNotFound, _buyer, FinanceNames.Acknowledge, new ReceivablePayload(Hash.Sha256([9])));
        _f.Refused(Execution.Modules.Tokens.TokensErrors.TokenNotFound, _tier1, FinanceNames.Issue, new IssueReceivablePayload(_buyer.Address, "USD", 5, Due, Hash.Sha256([9]), []));

        // An offer the lender cannot pay for moves nothing.
        var poor = KeyPair.Generate();
        _f.Ok(_tier1, FinanceNames.Sell, Offer(unacknowledged, 0, poor, 300));
        _f.Refused(Execution.Modules.Tokens.TokensErrors.InsufficientBalance, poor, FinanceNames.Take, new PartPayload(unacknowledged, 0));
        _f.Chain.Clock += 1_000;
        _f.Refused(FinanceErrors.OfferExpired, poor, FinanceNames.Take, new PartPayload(unacknowledged, 0));
        _f.Refused(FinanceErrors.NotFunded, _tier1, FinanceNames.Settle, new ReceivablePayload(unacknowledged));
    }

    [Fact]
    public void A_buyer_that_pays_after_the_due_date_pays_every_holder_at_once_and_stays_on_record_as_late()
    {
        var id = Acknowledged(2_000);
        _f.Ok(_tier1, FinanceNames.Split, new SplitPayload(id, 0, _tier2.Address, 500));
        _f.Chain.Clock += 5_000;
        Assert.True(FinanceModule.ReadReceivable(_f.Chain, id)!.LateAt(_f.Now));
        var paid = _f.Ok(_buyer, FinanceNames.Pay, new ReceivablePayload(id));
        Assert.All(Events(paid, "paid"), e => Assert.Equal("true", e["late"]));
        Assert.Equal(((UInt128)1_500, (UInt128)500), (_f.Balance(_tier1), _f.Balance(_tier2)));
        Assert.True(Part(id, 0).Late && Part(id, 1).Late);
        Assert.True(FinanceModule.ReadReceivable(_f.Chain, id)!.LateAt(_f.Now));
    }

    [Fact]
    public void The_id_is_the_invoice_scoped_to_supplier_and_buyer()
    {
        var a = FinanceIds.Receivable(_tier1.Address, _buyer.Address, _invoice);
        Assert.NotEqual(a, FinanceIds.Receivable(_tier2.Address, _buyer.Address, _invoice));
        Assert.NotEqual(a, FinanceIds.Receivable(_tier1.Address, _bank.Address, _invoice));
        // Another supplier may issue against the same invoice hash (it is its own invoice).
        Assert.Equal(FinanceIds.Receivable(_tier2.Address, _buyer.Address, _invoice), Issue(10, supplier: _tier2));
    }
}

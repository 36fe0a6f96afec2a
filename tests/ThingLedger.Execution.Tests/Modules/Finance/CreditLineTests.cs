using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Finance;
using ThingLedger.Execution.Modules.Telemetry;
using static ThingLedger.Execution.Tests.Modules.Finance.FinanceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Finance;

/// <summary>A merchant whose point-of-sale terminal signs its sales; a bank lends against them and is repaid from later sales.</summary>
public sealed class CreditLineTests
{
    /// <summary>A point-of-sale schema: sales in the currency's smallest unit, and the number of sales.</summary>
    public static TelemetrySchema Pos { get; } = new("pos", 1,
    [
        new("sales", "fen", 0, 0, 100_000_000, true),
        new("transactions", "sales", 0, 0, 10_000, true),
    ]);

    private readonly FinanceTestChain _f = new();
    private readonly KeyPair _merchant = KeyPair.Generate();
    private readonly KeyPair _bank = KeyPair.Generate();
    private readonly KeyPair _till = KeyPair.Generate();
    private ulong _sequence;

    public CreditLineTests()
    {
        var chain = _f.Chain;
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, Pos)).Succeeded);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(_till.PublicKey, "POS", "TILL-1", _merchant.Address, [], TestChain.Possession(_till, "acme", "TILL-1")))).Succeeded);
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterModel,
            new ModelRegistration("pos-screen", 1, "pos", 1, Core.Crypto.Hash.Sha256([7])))).Succeeded);
        _f.Fund(Cny, _bank, 1_000_000);
    }

    private uint Today => DeviceSummary.DayOf(_f.Now);

    private Receipt Sales(long amount, long flagged = 0, FlagCode? flag = null, uint? day = null)
    {
        var first = _sequence + 1;
        _sequence += 10;
        var summary = new DeviceSummary(_till.Address, "pos", 1, 10, first, _sequence, [amount, 10]) { Day = day ?? Today };
        if (flag is { } code)
        {
            summary = summary with { Model = "pos-screen@1", Flagged = 1, FlaggedSums = [flagged, 1], Flags = [new(code, 1, 900)] };
        }
        var receipt = _f.Chain.Anchor(summary);
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return receipt;
    }

    private CreditLinePayload Line(uint advanceBps = 5_000, uint shareBps = 2_000, ulong? maturity = null, ushort graceDays = 1) =>
        new(_merchant.Address, Cny, "pos", 1, advanceBps, shareBps, maturity ?? _f.Now + 10_000, graceDays);

    private CreditLineRecord Record => FinanceModule.ReadLine(_f.Chain, _merchant.Address, _bank.Address)!;

    [Fact]
    public void A_line_is_sized_by_clean_sales_drawn_and_repaid_from_a_share_of_each_later_sale()
    {
        _f.Refused(FinanceErrors.NoSales, _bank, FinanceNames.Credit, Line());
        _f.Ok(_merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 1, "sales"));
        Sales(30_000);
        Sales(20_000, day: Today - 3);
        Sales(500_000, day: Today - 30); // outside the 30 days
        Sales(40_000, flagged: 10_000, flag: FlagCode.Outlier); // 30,000 clean
        Sales(90_000, flag: FlagCode.DuplicateStream); // a cloned till counts nothing
        Assert.Equal((UInt128)80_000, FinanceModule.Score(_f.Chain, _merchant.Address, "pos@1", Today));

        var opened = _f.Ok(_bank, FinanceNames.Credit, Line());
        Assert.Equal("40000", Events(opened, "line-opened").Single()["limit"]);
        _f.Refused(FinanceErrors.LineExists, _bank, FinanceNames.Credit, Line());
        _f.Refused(FinanceErrors.DrawExceeds, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 40_001));
        _f.Ok(_merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 25_000));
        Assert.Equal((UInt128)25_000, _f.Balance(_merchant));
        _f.Refused(FinanceErrors.DrawExceeds, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 15_001));

        // 20 % of each later sale goes to the bank, out of the merchant's balance.
        var anchored = Sales(10_000);
        Assert.Equal("sales", Events(anchored, "repaid").Single()["source"]);
        Assert.Equal((UInt128)2_000, Record.Repaid);
        Assert.Equal((UInt128)23_000, _f.Balance(_merchant));

        _f.Refused(FinanceErrors.RepayExceeds, _merchant, FinanceNames.Repay, new LineAmountPayload(_bank.Address, 23_001));
        _f.Ok(_merchant, FinanceNames.Repay, new LineAmountPayload(_bank.Address, 23_000));
        Assert.Equal(LineStatus.Repaid, Record.Status);
        Assert.Empty(Events(Sales(10_000), "repaid"));
        _f.Refused(FinanceErrors.LineClosed, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 1));
        // A repaid line may be replaced by a new one.
        _f.Ok(_bank, FinanceNames.Credit, Line());
    }

    [Fact]
    public void A_merchant_without_the_balance_repays_what_it_can_and_a_line_past_its_grace_period_is_in_default()
    {
        _f.Ok(_merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 1, "sales"));
        Sales(100_000);
        _f.Ok(_bank, FinanceNames.Credit, Line(maturity: _f.Now + 100, graceDays: 1));
        _f.Ok(_merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 1_000));
        // Spend the draw elsewhere, keeping 100: the next sale's share (2,000 of 10,000, capped at 1,000 outstanding) takes only 100.
        Assert.True(_f.Chain.Run(_f.Chain.Tx(_merchant, Execution.Modules.Tokens.TokensModule.ModuleName, Execution.Modules.Tokens.TokensModule.TransferOp,
            new Execution.Modules.Tokens.TokenAmountPayload(Cny, KeyPair.Generate().Address, 900))).Succeeded);
        var anchored = Sales(10_000);
        Assert.Equal(("1000", "100"), (Events(anchored, "repayment-short").Single()["due"], Events(anchored, "repayment-short").Single()["taken"]));
        Assert.Equal((UInt128)900, Record.Outstanding);

        _f.Refused(FinanceErrors.NotInDefault, _bank, FinanceNames.Default, new LinePayload(_merchant.Address, _bank.Address));
        _f.Chain.Clock += 200;
        _f.Refused(FinanceErrors.LineClosed, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 1)); // matured
        _f.Refused(FinanceErrors.NotInDefault, _bank, FinanceNames.Default, new LinePayload(_merchant.Address, _bank.Address)); // in grace
        _f.Chain.Clock += 86_400_000;
        _f.Ok(KeyPair.Generate(), FinanceNames.Default, new LinePayload(_merchant.Address, _bank.Address));
        Assert.Equal(LineStatus.Defaulted, Record.Status);
        _f.Refused(FinanceErrors.NotInDefault, _bank, FinanceNames.Default, new LinePayload(_merchant.Address, _bank.Address));
    }

    [Fact]
    public void Bad_credit_input_is_refused()
    {
        _f.Refused(TelemetryErrors.SchemaNotFound, _merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 2, "sales"));
        _f.Refused(FinanceErrors.SalesInvalid, _merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 1, "till"));
        _f.Ok(_merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 1, "sales"));
        _f.Refused(FinanceErrors.SalesInvalid, _merchant, FinanceNames.Sales, new SalesSourcePayload("pos", 1, "sales"));
        Sales(10_000);
        _f.Refused(FinanceErrors.LineInvalid, _merchant, FinanceNames.Credit, Line());
        _f.Refused(FinanceErrors.LineInvalid, _bank, FinanceNames.Credit, Line(advanceBps: 0));
        _f.Refused(FinanceErrors.LineInvalid, _bank, FinanceNames.Credit, Line(shareBps: 10_001));
        _f.Refused(FinanceErrors.LineInvalid, _bank, FinanceNames.Credit, Line(maturity: _f.Now));
        _f.Refused(FinanceErrors.NoSales, _bank, FinanceNames.Credit, Line() with { Merchant = KeyPair.Generate().Address });
        _f.Refused(FinanceErrors.LineNotFound, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 1));
        _f.Ok(_bank, FinanceNames.Credit, Line());
        _f.Refused(FinanceErrors.LineInvalid, _merchant, FinanceNames.Draw, new LineAmountPayload(_bank.Address, 0));
    }
}

using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>
/// The articles' cases shipped as contracts (contracts/examples), run from their committed builds:
/// ride sharing without an intermediary, and a collectible game paid in reward points.
/// </summary>
public sealed class ExampleContractsTests
{
    private const string Ride = "RIDE";
    private const ulong Hour = 3_600_000;
    private readonly TestChain _chain = new();
    private readonly KeyPair _driver = KeyPair.Generate();
    private readonly KeyPair _rider = KeyPair.Generate();
    private readonly KeyPair _other = KeyPair.Generate();

    public ExampleContractsTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(Ride, "Ride points", 0, Roles.Admin, 0))).Succeeded);
        foreach (var who in new[] { _rider, _other, _driver })
        {
            Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(Ride, who.Address, 1_000))).Succeeded);
        }
    }

    private void Deploy(string name, byte[] init)
    {
        var deployed = _chain.Run(_chain.Tx(_chain.AcmeAdmin, ContractsNames.ModuleName, ContractsNames.Deploy, ExampleContracts.Deploy(name, init), gasLimit: 10_000_000));
        Assert.True(deployed.Succeeded, deployed.ErrorCode);
    }

    private Receipt Call(KeyPair by, string contract, string method, string[] args, UInt128 deposit = default)
    {
        var spec = ContractsModule.ReadContract(_chain, contract)!.Metadata.Method(method)!;
        var encoded = ContractAbi.Encode(spec.ArgTypes, args);
        return _chain.Run(_chain.Tx(by, ContractsNames.ModuleName, ContractsNames.Call, new CallPayload(contract, method, encoded, deposit == 0 ? "" : Ride, deposit)));
    }

    private void Ok(Receipt receipt) => Assert.True(receipt.Succeeded, receipt.ErrorCode + " " + string.Join("; ", receipt.Events.Select(e => string.Join(",", e.Attributes.Select(a => $"{a.Key}={a.Value}")))));

    private string Reverted(Receipt receipt)
    {
        Assert.Equal(ContractsErrors.Reverted, receipt.ErrorCode);
        return receipt.Events.Single()["code"]!;
    }

    private string[] Query(string contract, string method, params string[] args)
    {
        var spec = ContractsModule.ReadContract(_chain, contract)!.Metadata.Method(method)!;
        var result = _chain.Machine.Module<ContractsModule>().Query(_chain, _chain.Height, _chain.Clock + _chain.Height, default, contract, method, ContractAbi.Encode(spec.ArgTypes, args), 10_000_000);
        Assert.True(result.Outcome.Succeeded, result.Outcome.ErrorCode);
        Assert.True(ContractAbi.TryDecode(result.Output, spec.ReturnTypes, out var values));
        return values;
    }

    private UInt128 Balance(Address who) => TokensModule.ReadBalance(_chain, Ride, who);

    private ulong Now => _chain.Clock + _chain.Height;

    private (ulong Departs, string Booking) OfferAndBook(uint seats = 2, ulong price = 30)
    {
        Deploy("ride-share", []);
        var departs = Now + (3 * Hour);
        Ok(Call(_driver, "ride-share", "offer", ["Tel Aviv → Haifa", $"{departs}", "3", $"{price}", Ride]));
        Assert.Equal("FARE", Reverted(Call(_rider, "ride-share", "book", ["1", $"{seats}"], deposit: (price * seats) - 1)));
        Ok(Call(_rider, "ride-share", "book", ["1", $"{seats}"], deposit: price * seats));
        return (departs, "1");
    }

    [Fact]
    public void A_ride_confirmed_by_both_pays_the_driver_the_whole_fare()
    {
        OfferAndBook();
        var contract = ContractsModule.AddressOf("ride-share");
        Assert.Equal((UInt128)60, Balance(contract));
        Assert.Equal("NOT_PARTY", Reverted(Call(_other, "ride-share", "confirm", ["1"])));
        Ok(Call(_driver, "ride-share", "confirm", ["1"]));
        Assert.Equal((UInt128)1_000, Balance(_driver.Address));
        Ok(Call(_rider, "ride-share", "confirm", ["1"]));
        Assert.Equal(((UInt128)1_060, (UInt128)940, UInt128.Zero), (Balance(_driver.Address), Balance(_rider.Address), Balance(contract)));
        Assert.Equal("completed", Query("ride-share", "booking", "1")[4]);
        Assert.Equal("CLOSED", Reverted(Call(_rider, "ride-share", "confirm", ["1"])));
    }

    [Fact]
    public void Cancelling_in_time_refunds_the_fare_and_late_splits_it()
    {
        OfferAndBook();
        Ok(Call(_rider, "ride-share", "cancel_booking", ["1"]));
        Assert.Equal((UInt128)1_000, Balance(_rider.Address));
        Ok(Call(_rider, "ride-share", "book", ["1", "2"], deposit: 60));
        _chain.Clock += (2 * Hour) + (30 * 60_000);
        Ok(Call(_rider, "ride-share", "cancel_booking", ["2"]));
        Assert.Equal(((UInt128)970, (UInt128)1_030), (Balance(_rider.Address), Balance(_driver.Address)));
    }

    [Fact]
    public void A_driver_who_cancels_refunds_every_rider()
    {
        OfferAndBook();
        Ok(Call(_other, "ride-share", "book", ["1", "1"], deposit: 30));
        Assert.Equal("NOT_DRIVER", Reverted(Call(_rider, "ride-share", "cancel_ride", ["1"])));
        Ok(Call(_driver, "ride-share", "cancel_ride", ["1"]));
        Assert.Equal(((UInt128)1_000, (UInt128)1_000, (UInt128)1_000), (Balance(_rider.Address), Balance(_other.Address), Balance(_driver.Address)));
        Assert.Equal("cancelled", Query("ride-share", "ride", "1")[7]);
    }

    [Fact]
    public void Settling_after_the_ride_pays_the_driver_for_a_no_show_and_refunds_when_the_driver_did_not_confirm()
    {
        OfferAndBook();
        Ok(Call(_other, "ride-share", "book", ["1", "1"], deposit: 30));
        Ok(Call(_driver, "ride-share", "confirm", ["1"]));
        Assert.Equal("EARLY", Reverted(Call(_other, "ride-share", "settle", ["1"])));
        _chain.Clock += 6 * Hour;
        Ok(Call(_other, "ride-share", "settle", ["1"]));
        Ok(Call(_rider, "ride-share", "settle", ["2"]));
        Assert.Equal(((UInt128)1_060, (UInt128)940, (UInt128)1_000), (Balance(_driver.Address), Balance(_rider.Address), Balance(_other.Address)));
        Assert.Equal(("no-show", "refunded"), (Query("ride-share", "booking", "1")[4], Query("ride-share", "booking", "2")[4]));
    }

    [Fact]
    public void The_drivers_own_car_with_anchored_readings_on_the_day_confirms_the_ride()
    {
        var (departs, _) = OfferAndBook();
        Ok(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.Ev)));
        var car = KeyPair.Generate();
        Ok(_chain.Run(_chain.Tx(_chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(car.PublicKey, "EV", "SN-CAR-1", _driver.Address, [], TestChain.Possession(car, "acme", "SN-CAR-1")))));
        Assert.Equal("NO_TRIP", Reverted(Call(_rider, "ride-share", "confirm_by_device", ["1", car.Address.ToString(), "ev@1"])));
        Assert.Equal("DEVICE", Reverted(Call(_rider, "ride-share", "confirm_by_device", ["1", _other.Address.ToString(), "ev@1"])));
        Ok(_chain.Anchor(new DeviceSummary(car.Address, "ev", 1, 4, 1, 4, [0, 0, 12_000, 0, 0]) { Day = DeviceSummary.DayOf(departs) }));
        Ok(Call(_rider, "ride-share", "confirm_by_device", ["1", car.Address.ToString(), "ev@1"]));
        Assert.Equal((UInt128)1_060, Balance(_driver.Address));
    }

    [Fact]
    public void Players_spend_points_to_mint_and_breed_and_trade_collectibles_within_the_supply_cap()
    {
        Deploy("collectibles", ContractAbi.Encode([ContractType.String, ContractType.U64, ContractType.U64, ContractType.U64], [Ride, "100", "50", "3"]));
        Assert.Equal("FEE", Reverted(Call(_rider, "collectibles", "mint", [], deposit: 99)));
        Ok(Call(_rider, "collectibles", "mint", [], deposit: 100));
        Ok(Call(_rider, "collectibles", "mint", [], deposit: 100));
        Assert.Equal("NOT_OWNER", Reverted(Call(_other, "collectibles", "breed", ["1", "2"], deposit: 50)));
        Ok(Call(_rider, "collectibles", "breed", ["1", "2"], deposit: 50));
        var child = Query("collectibles", "collectible", "3");
        Assert.Equal((_rider.Address.ToString(), "1"), (child[0], child[2]));
        Assert.NotEqual(Query("collectibles", "collectible", "1")[1], Query("collectibles", "collectible", "2")[1]);
        Assert.Equal("SOLD_OUT", Reverted(Call(_other, "collectibles", "mint", [], deposit: 100)));
        Assert.Equal((UInt128)750, Balance(_rider.Address));

        Ok(Call(_rider, "collectibles", "list", ["3", "200"]));
        Assert.Equal("FEE", Reverted(Call(_other, "collectibles", "buy", ["3"], deposit: 100)));
        Ok(Call(_other, "collectibles", "buy", ["3"], deposit: 200));
        Assert.Equal(((UInt128)950, (UInt128)800), (Balance(_rider.Address), Balance(_other.Address)));
        Assert.Equal(_other.Address.ToString(), Query("collectibles", "collectible", "3")[0]);
        Assert.Equal("NOT_FOR_SALE", Reverted(Call(_rider, "collectibles", "buy", ["3"], deposit: 200)));
        Assert.Equal(["RIDE", "100", "50", "3", "3"], Query("collectibles", "rules"));
    }
}

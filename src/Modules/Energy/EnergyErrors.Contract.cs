namespace ThingLedger.Execution.Modules.Energy;

/// <summary>
/// The energy module's error codes (docs/ERRORS.md, "energy"). Every code starts with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class EnergyErrors
{
    public const string Prefix = "ENERGY_";

    public const string MarketInvalid = "ENERGY_MARKET_INVALID";
    public const string MarketExists = "ENERGY_MARKET_EXISTS";
    public const string MarketNotFound = "ENERGY_MARKET_NOT_FOUND";
    public const string NotOperator = "ENERGY_NOT_OPERATOR";
    public const string NotMeterOwner = "ENERGY_NOT_METER_OWNER";
    public const string NoRating = "ENERGY_NO_RATING";
    public const string MeterInMarket = "ENERGY_METER_IN_MARKET";
    public const string MeterNotJoined = "ENERGY_METER_NOT_JOINED";
    public const string MeterBusy = "ENERGY_METER_BUSY";
    public const string IntervalInvalid = "ENERGY_INTERVAL_INVALID";
    public const string GateClosed = "ENERGY_GATE_CLOSED";
    public const string GateOpen = "ENERGY_GATE_OPEN";
    public const string QuantityInvalid = "ENERGY_QUANTITY_INVALID";
    public const string PriceOutOfRange = "ENERGY_PRICE_OUT_OF_RANGE";
    public const string BeyondRating = "ENERGY_BEYOND_RATING";
    public const string BeyondAllowance = "ENERGY_BEYOND_ALLOWANCE";
    public const string SideTaken = "ENERGY_SIDE_TAKEN";
    public const string FundsLow = "ENERGY_FUNDS_LOW";
    public const string TooManyOrders = "ENERGY_TOO_MANY_ORDERS";
    public const string FlexExists = "ENERGY_FLEX_EXISTS";
    public const string NoFlexRequest = "ENERGY_NO_FLEX_REQUEST";
    public const string NoBattery = "ENERGY_NO_BATTERY";
    public const string BeyondCapacity = "ENERGY_BEYOND_CAPACITY";
    public const string Cleared = "ENERGY_CLEARED";
    public const string NotCleared = "ENERGY_NOT_CLEARED";
    public const string DataPending = "ENERGY_DATA_PENDING";
    public const string Settled = "ENERGY_SETTLED";
}

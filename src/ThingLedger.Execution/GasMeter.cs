using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution;

/// <summary>
/// Counts one tx's gas (<see cref="Gas"/>) and stops it when its limit is passed: the charge
/// that passes it throws <see cref="OutOfGasException"/>, and the tx fails with OUT_OF_GAS
/// having used all of its limit. A version-1 tx is counted by the formula it was executed with
/// before gas existed (no limit, reads and writes only), so old blocks replay to their receipts.
/// </summary>
public sealed class GasMeter
{
    private readonly bool _metered;

    public GasMeter(Transaction tx)
    {
        _metered = tx.IsMetered;
        Limit = _metered ? tx.GasLimit : ulong.MaxValue;
    }

    /// <summary>A meter for work done outside a tx (a contract query), with <paramref name="limit"/> to spend.</summary>
    public GasMeter(ulong limit)
    {
        _metered = true;
        Limit = limit;
    }

    public ulong Limit { get; }

    public ulong Used { get; private set; }

    /// <exception cref="OutOfGasException">The charge passes the limit (which is then all used).</exception>
    public void Charge(ulong gas)
    {
        if (!TryCharge(gas))
        {
            throw new OutOfGasException();
        }
    }

    /// <summary>Charges <paramref name="gas"/>, or uses up the limit and returns false when it does not fit.</summary>
    public bool TryCharge(ulong gas)
    {
        if (gas > Limit - Used)
        {
            Used = Limit;
            return false;
        }
        Used += gas;
        return true;
    }

    internal void ChargeRead(int bytes) => Charge(_metered ? Gas.Read + ((ulong)bytes * Gas.PerByteRead) : Gas.Read);

    /// <summary>A write of <paramref name="bytes"/> (key and value); a version-1 delete counted no bytes.</summary>
    internal void ChargeWrite(int bytes, bool delete) =>
        Charge(Gas.Write + (_metered || !delete ? (ulong)bytes * Gas.PerByteWritten : 0));

    internal void ChargeEvent(LedgerEvent e)
    {
        if (_metered)
        {
            Charge(Gas.Event + ((ulong)e.EncodedLength * Gas.PerEventByte));
        }
    }

    /// <summary>Charges <paramref name="steps"/> elements walked (<see cref="Gas.Step"/> each).</summary>
    public void Steps(int steps)
    {
        if (_metered && steps > 0)
        {
            Charge((ulong)steps * Gas.Step);
        }
    }
}

/// <summary>A tx passed its gas limit; caught by the kernel, which drops the tx's writes.</summary>
public sealed class OutOfGasException() : Exception("the tx used its whole gas limit");

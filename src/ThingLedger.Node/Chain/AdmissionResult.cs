using ThingLedger.Core.Crypto;

namespace ThingLedger.Node.Chain;

/// <summary>What admission said about one submitted tx: its id when accepted, or a stable error code.</summary>
public readonly record struct AdmissionResult(Hash? Id, string? Code, string? Message)
{
    public bool Accepted => Code is null;

    public static AdmissionResult Accept(Hash id) => new(id, null, null);

    public static AdmissionResult Reject(Hash? id, string code, string message) => new(id, code, message);
}

using System.Net;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>Settings of the node's MQTT broker (configuration section "Node:Mqtt"; docs/TELEMETRY.md, "MQTT").</summary>
public sealed class MqttOptions
{
    public const string Section = "Node:Mqtt";

    /// <summary>MQTT's registered port.</summary>
    public const int DefaultPort = 1883;

    public bool Enabled { get; set; } = true;

    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Plain MQTT; 0 picks a free port. When left at the default and taken, a free port is used instead.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Whether <see cref="Port"/> was set by the operator (then a taken port stops the node).</summary>
    internal bool PortIsExplicit { get; set; }

    /// <summary>MQTT over TLS; 0 turns it off.</summary>
    public int TlsPort { get; set; }

    /// <summary>The TLS certificate: PKCS #12, or PEM holding the certificate and its private key.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    public string CertificatePassword { get; set; } = string.Empty;

    public int MaxConnections { get; set; } = 10_000;

    public int ConnectTimeoutMs { get; set; } = 10_000;

    public int MaxKeepAliveSeconds { get; set; } = 1_200;

    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    public double MessagesPerSecond { get; set; } = 50;

    public int MessageBurst { get; set; } = 100;

    public long ProofMaxAgeMs { get; set; } = 5 * 60 * 1000;

    public IPAddress ListenAddress => IPAddress.TryParse(Address, out var address)
        ? address
        : Address == "localhost" ? IPAddress.Loopback : throw new InvalidOperationException($"Node:Mqtt:Address '{Address}' is not an IP address");

    public void Validate()
    {
        _ = ListenAddress;
        if (Port is < 0 or > 65535 || TlsPort is < 0 or > 65535)
        {
            throw new InvalidOperationException("Node:Mqtt:Port and Node:Mqtt:TlsPort must be TCP ports (0 = a free port for Port, off for TlsPort)");
        }
        if (TlsPort > 0 && string.IsNullOrWhiteSpace(CertificatePath))
        {
            throw new InvalidOperationException("Node:Mqtt:TlsPort needs Node:Mqtt:CertificatePath (PKCS #12, or PEM with the private key)");
        }
        if (MaxConnections < 1 || ConnectTimeoutMs < 1 || MaxKeepAliveSeconds < 1 || MaxMessageBytes < 1024 || MessagesPerSecond <= 0 || MessageBurst < 1 || ProofMaxAgeMs < 1)
        {
            throw new InvalidOperationException("Node:Mqtt:MaxConnections, ConnectTimeoutMs, MaxKeepAliveSeconds, MessagesPerSecond, MessageBurst and ProofMaxAgeMs must be positive, MaxMessageBytes at least 1024");
        }
    }
}

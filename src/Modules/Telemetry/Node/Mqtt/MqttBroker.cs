using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>
/// The node's MQTT broker for devices (docs/TELEMETRY.md, "MQTT"): a device connects with a
/// proof of its key, publishes its readings, and gets each message's result, its receipts and
/// its configuration back. Readings go through the same checks as HTTP uploads and are PUBACKed
/// only once durable. Nothing is routed from one client to another.
/// </summary>
public sealed partial class MqttBroker : IHostedService, IAsyncDisposable
{
    private const string DeviceItem = "thingledger.device";
    private const string V5Item = "thingledger.v5";

    private readonly LedgerNode _node;
    private readonly MqttOptions _options;
    private readonly MqttPresence _presence;
    private readonly Anchorer _anchorer;
    private readonly TimeProvider _clock;
    private readonly ILogger<MqttBroker> _logger;
    private readonly MqttIngestQueue _queue;
    private readonly DiskWatch _disk;
    private readonly ConcurrentDictionary<Address, ulong> _lastProof = new();
    private readonly ConcurrentDictionary<Address, TokenBucket> _rates = new();
    private readonly ConcurrentDictionary<string, Subscriber> _subscribers = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private MqttListener? _listener;

    public MqttBroker(LedgerNode node, ReadingIngest ingest, IOptions<MqttOptions> options, MqttPresence presence, Anchorer anchorer, DiskWatch disk, TimeProvider clock,
        ILogger<MqttBroker> logger)
    {
        _node = node;
        _disk = disk;
        _options = options.Value;
        _presence = presence;
        _anchorer = anchorer;
        _clock = clock;
        _logger = logger;
        _queue = new MqttIngestQueue(ingest);
    }

    public MqttOptions Options => _options;

    /// <summary>The plain MQTT port, once started (0 when off).</summary>
    public int Port => _listener?.Port ?? 0;

    /// <summary>The MQTT-over-TLS port, once started (0 when off).</summary>
    public int TlsPort => _listener?.TlsPort ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        if (!_options.Enabled)
        {
            return;
        }
        _listener = new MqttListener(_options, _presence, _options.TlsPort > 0 ? LoadCertificate(_options) : null);
        _presence.Track(() => _listener.OpenConnections);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultCommunicationTimeout(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs))
            .WithPersistentSessions(false)
            .WithMaxPendingMessagesPerClient(1_000)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [_listener]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.ClientConnectedAsync += async e =>
        {
            if (DeviceOf(e.SessionItems) is not { } device)
            {
                return;
            }
            _presence.Connected(device, e.ClientId, _clock.GetUtcNow());
            // A revocation that committed between the CONNECT's check and now found no session to close: close it here.
            if (DevicesModule.ReadDevice(_node.Store, device) is { Status: DeviceStatus.Revoked } revoked && _server is { } server)
            {
                await server.DisconnectClientAsync(e.ClientId, new MqttServerClientDisconnectOptions
                {
                    ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                    ReasonString = $"{DevicesErrors.DeviceRevoked}: device {device} was revoked at height {revoked.RevokedAt}",
                }).ConfigureAwait(false);
            }
        };
        _server.ClientDisconnectedAsync += e =>
        {
            if (DeviceOf(e.SessionItems) is { } device)
            {
                _presence.Disconnected(device, e.ClientId);
            }
            // A session taken over by a new connection with the same client id keeps what the new one subscribed.
            if (e.DisconnectType != MqttClientDisconnectType.Takeover)
            {
                _subscribers.TryRemove(e.ClientId, out _);
            }
            return Task.CompletedTask;
        };
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientSubscribedTopicAsync += SubscribedAsync;
        _server.ClientUnsubscribedTopicAsync += e =>
        {
            if (_subscribers.TryGetValue(e.ClientId, out var subscriber))
            {
                subscriber.Remove(e.TopicFilter);
            }
            return Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        await _server.StartAsync().ConfigureAwait(false);
        _node.Committed += DisconnectRevoked;
        _anchorer.Recorded += PublishReceipts;
        if (_listener.FellBack)
        {
            LogPortTaken(_options.Port, $"{_options.Address}:{_listener.Port}");
        }
        LogListening($"mqtt://{_options.Address}:{_listener.Port}", _listener.TlsPort > 0 ? $", mqtts://{_options.Address}:{_listener.TlsPort}" : "");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _node.Committed -= DisconnectRevoked;
        _anchorer.Recorded -= PublishReceipts;
        if (_server is { } server)
        {
            await server.StopAsync(new MqttServerStopOptions
            {
                DefaultClientDisconnectOptions = new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown, ReasonString = "the node is stopping" },
            }).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync().ConfigureAwait(false);
        _server?.Dispose();
        _listener?.Dispose();
    }

    private static X509Certificate2 LoadCertificate(MqttOptions options)
    {
        var path = options.CertificatePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Node:Mqtt:CertificatePath '{path}' does not exist");
        }
        var password = string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword;
        if (path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase))
        {
            using var pem = password is null ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
            // An exportable copy: TLS on Linux needs the key in a PKCS #12 store, not only in memory.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password);
    }

    private static Address? DeviceOf(System.Collections.IDictionary items) => items[DeviceItem] is Address device ? device : null;

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var topic = e.TopicFilter.Topic;
        if (DeviceOf(e.SessionItems) is not { } device || !MayReceive(device, topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = $"{TelemetryErrors.MqttTopicForbidden}: a device subscribes only to its own results, results/…, receipts and config topics, without wildcards; not '{topic}'";
            _presence.CountRefusal(TelemetryErrors.MqttTopicForbidden);
        }
        return Task.CompletedTask;
    }

    /// <summary>The topics a device may subscribe to and the node publishes on for it.</summary>
    private bool MayReceive(Address device, string topic)
    {
        var topics = new MqttTopics(_node.Genesis.ChainId, device);
        return topic == topics.Results || topic == topics.Receipts || topic == topics.Config || IsUnderResults(topics, topic);
    }

    private static bool IsUnderResults(MqttTopics topics, string topic) =>
        topic.Length > topics.Results.Length + 1 && topic.StartsWith(topics.Results + "/", StringComparison.Ordinal) && !topic.Contains('+', StringComparison.Ordinal) && !topic.Contains('#', StringComparison.Ordinal);

    /// <summary>
    /// A client's session and the topics it subscribed to. The node delivers its messages for a
    /// device straight to that device's sessions that asked for them, rather than matching every
    /// message against every session's subscriptions.
    /// </summary>
    private sealed class Subscriber(Address device, MqttSessionStatus session)
    {
        private readonly HashSet<string> _topics = new(StringComparer.Ordinal);

        public Address Device { get; } = device;

        public MqttSessionStatus Session { get; } = session;

        public void Add(string topic)
        {
            lock (_topics)
            {
                _topics.Add(topic);
            }
        }

        public void Remove(string topic)
        {
            lock (_topics)
            {
                _topics.Remove(topic);
            }
        }

        public bool Has(string topic)
        {
            lock (_topics)
            {
                return _topics.Contains(topic);
            }
        }

        public void Deliver(MqttApplicationMessage message) => Session.TryEnqueueApplicationMessage(message, out _);
    }

    private async Task SubscribedAsync(ClientSubscribedTopicEventArgs e)
    {
        if (DeviceOf(e.SessionItems) is not { } device || _server is not { } server)
        {
            return;
        }
        if (!_subscribers.TryGetValue(e.ClientId, out var subscriber) || subscriber.Session.Items != e.SessionItems)
        {
            if (await server.GetSessionAsync(e.ClientId).ConfigureAwait(false) is not { } session)
            {
                return;
            }
            _subscribers[e.ClientId] = subscriber = new Subscriber(device, session);
        }
        var topic = e.TopicFilter.Topic;
        subscriber.Add(topic);
        var topics = new MqttTopics(_node.Genesis.ChainId, device);
        if (topic == topics.Config)
        {
            subscriber.Deliver(Message(topics.Config, JsonSerializer.SerializeToUtf8Bytes(Config(device), TelemetryJson.Default.MqttDeviceConfig)));
        }
    }

    private MqttDeviceConfig Config(Address device)
    {
        var stored = _node.Readings.Latest(device)?.Reading.Sequence ?? 0;
        var anchored = TelemetryModule.ReadDevice(_node.Store, device)?.LastSequence ?? 0;
        var o = _node.Options;
        return new MqttDeviceConfig(_node.Genesis.ChainId, device.ToString(), Math.Max(stored, anchored) + 1, (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds(),
            _options.MaxMessageBytes, o.MaxDeviceBatchReadings, _options.MessagesPerSecond, _options.MessageBurst, o.MaxClockSkewMs, o.MaxReadingAgeMs);
    }

    /// <param name="qos">Results go at QoS 0: the PUBACK is the acknowledgement, and a result lost with the connection comes back, as "duplicate", when the device sends the message again.</param>
    private static MqttApplicationMessage Message(string topic, byte[] json, byte[]? correlation = null, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) => new()
    {
        Topic = topic,
        PayloadSegment = json,
        ContentType = "application/json",
        PayloadFormatIndicator = MqttPayloadFormatIndicator.CharacterData,
        QualityOfServiceLevel = qos,
        CorrelationData = correlation,
    };

    /// <summary>A device revoked on chain loses its sessions as soon as the block commits.</summary>
    private void DisconnectRevoked(ChainHead head, IReadOnlyList<Receipt> receipts)
    {
        List<Address>? revoked = null;
        foreach (var receipt in receipts)
        {
            foreach (var e in receipt.Events)
            {
                if (e.Module == DevicesEvents.Revoked.Module && e.Name == DevicesEvents.Revoked.Name &&
                    e.Attributes.FirstOrDefault(a => a.Key == "device").Value is { } text && Address.TryParse(text, out var device))
                {
                    (revoked ??= []).Add(device);
                }
            }
        }
        if (revoked is null || _server is not { } server)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            foreach (var device in revoked)
            {
                foreach (var client in _presence.Clients(device))
                {
                    LogRevokedDisconnected(device.ToString(), client, head.Height);
                    await server.DisconnectClientAsync(client, new MqttServerClientDisconnectOptions
                    {
                        ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                        ReasonString = $"{DevicesErrors.DeviceRevoked}: device {device} was revoked at height {head.Height}",
                    }).ConfigureAwait(false);
                }
            }
        });
    }

    /// <summary>Each newly anchored reading of a device subscribed to its receipts, as one message with its receipt.</summary>
    private void PublishReceipts(IReadOnlyList<AnchorRecord> anchors)
    {
        var chainId = _node.Genesis.ChainId;
        var wanting = _subscribers.Values.Where(s => s.Has(new MqttTopics(chainId, s.Device).Receipts)).ToList();
        if (wanting.Count == 0)
        {
            return;
        }
        var devices = wanting.GroupBy(s => s.Device).ToDictionary(g => g.Key, g => g.ToList());
        _ = Task.Run(() =>
        {
            foreach (var anchor in anchors)
            {
                var readings = _node.Readings.ReadIngestRange(anchor.FirstIngest, anchor.LastIngest, int.MaxValue);
                foreach (var stored in readings)
                {
                    if (!devices.TryGetValue(stored.Reading.Device, out var sessions))
                    {
                        continue;
                    }
                    var (receipt, _, _) = ReceiptBuilder.Build(_node, stored.Reading.Device, stored.Reading.Sequence, readings);
                    if (receipt is null)
                    {
                        continue;
                    }
                    var json = JsonSerializer.SerializeToUtf8Bytes(receipt, ClientJsonContext.Default.ProofDocument);
                    foreach (var session in sessions)
                    {
                        session.Deliver(Message(new MqttTopics(chainId, stored.Reading.Device).Receipts, json));
                    }
                }
            }
        });
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "MQTT for devices on {Endpoint}{Tls}")]
    private partial void LogListening(string endpoint, string tls);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "MQTT port {Port} is taken (another node or broker on this machine): listening on {Endpoint} instead")]
    private partial void LogPortTaken(int port, string endpoint);

    [LoggerMessage(EventId = 62, Level = LogLevel.Debug, Message = "MQTT CONNECT of '{ClientId}' refused: {Code} {Detail}")]
    private partial void LogConnectRefused(string clientId, string code, string? detail);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "An MQTT readings message of {ClientId} could not be handled")]
    private partial void LogPublishFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Device {Device} was revoked at height {Height}: its MQTT session {ClientId} is closed")]
    private partial void LogRevokedDisconnected(string device, string clientId, ulong height);
}

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>
/// The broker's TCP (and TLS) listeners. The node owns its sockets rather than leaving them to
/// the MQTT library so that it knows the port it got (port 0, or the default port taken), caps
/// open connections at <see cref="MqttOptions.MaxConnections"/>, gives a TLS handshake the
/// CONNECT timeout, and closes a connection whose next packet announces more than the size limit
/// before a byte of it is buffered.
/// </summary>
internal sealed class MqttListener : IMqttServerAdapter
{
    private readonly MqttOptions _options;
    private readonly MqttPresence _presence;
    private readonly X509Certificate2? _certificate;
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stopping = new();
    private IMqttNetLogger _logger = MqttNetNullLogger.Instance;
    private int _open;
    private bool _stopped;

    public MqttListener(MqttOptions options, MqttPresence presence, X509Certificate2? certificate)
    {
        _options = options;
        _presence = presence;
        _certificate = certificate;
    }

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The plain port listened on (after start).</summary>
    public int Port { get; private set; }

    /// <summary>The TLS port listened on, or 0.</summary>
    public int TlsPort { get; private set; }

    /// <summary>True when the configured default port was taken and a free one is used instead.</summary>
    public bool FellBack { get; private set; }

    /// <summary>Open TCP connections, authenticated or not.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _logger = logger;
        var address = _options.ListenAddress;
        Port = Listen(address, _options.Port, tls: false, fallBack: !_options.PortIsExplicit && _options.Port == MqttOptions.DefaultPort);
        if (_options.TlsPort > 0)
        {
            TlsPort = Listen(address, _options.TlsPort, tls: true, fallBack: false);
        }
        return Task.CompletedTask;
    }

    private int Listen(IPAddress address, int port, bool tls, bool fallBack)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && fallBack)
        {
            socket.Bind(new IPEndPoint(address, 0));
            FellBack = true;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException(
                $"MQTT cannot listen on {address}:{port} ({e.Message}): another program holds it; set Node:Mqtt:{(tls ? "TlsPort" : "Port")} to a free port (0 = any), or Node:Mqtt:Enabled=false", e);
        }
        socket.Listen(512);
        lock (_sockets)
        {
            _sockets.Add(socket);
        }
        _ = AcceptAsync(socket, tls);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task AcceptAsync(Socket listener, bool tls)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            if (Interlocked.Increment(ref _open) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                _presence.CountRefusal(Execution.Modules.Telemetry.TelemetryErrors.MqttTooManyConnections);
                client.Dispose();
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, tls));
        }
    }

    private async Task ServeAsync(Socket socket, bool tls)
    {
        try
        {
            socket.NoDelay = true;
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                handshake.CancelAfter(_options.ConnectTimeoutMs);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                }, handshake.Token).ConfigureAwait(false);
            }
            var guarded = new MqttFrameGuard(stream, 2L * _options.MaxMessageBytes + 1024);
            var channel = new MqttTcpChannel(guarded, socket.LocalEndPoint, socket.RemoteEndPoint, null);
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(8 * 1024, 64 * 1024)), _logger)
            {
                AllowPacketFragmentation = true,
            };
            if (ClientHandler is { } handler)
            {
                await handler(adapter).ConfigureAwait(false);
            }
            channel.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // A client that went away, failed its handshake or sent too large a packet: its connection is closed.
        }
        finally
        {
            socket.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }

    public Task StopAsync()
    {
        Socket[] sockets;
        lock (_sockets)
        {
            if (_stopped)
            {
                return Task.CompletedTask;
            }
            _stopped = true;
            sockets = [.. _sockets];
            _sockets.Clear();
        }
        _stopping.Cancel();
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
        return Task.CompletedTask;
    }

    public void Dispose() => StopAsync();
}

/// <summary>
/// Follows MQTT's framing on the bytes read (a fixed header byte, the remaining length as a
/// variable byte integer, the rest) and fails the read as soon as a packet announces more than
/// <c>maxPacket</c> bytes, so no buffer is ever sized by what a client claims.
/// </summary>
internal sealed class MqttFrameGuard(Stream inner, long maxPacket) : Stream
{
    private int _state; // 0: fixed header byte next; 1: inside the remaining length; 2: inside the packet
    private long _length;
    private int _shift;
    private long _remaining;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Follow(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Follow(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Follow(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case 0:
                    i++;
                    _state = 1;
                    _length = 0;
                    _shift = 0;
                    break;
                case 1:
                    var b = bytes[i++];
                    _length |= (long)(b & 0x7F) << _shift;
                    _shift += 7;
                    if (_length > maxPacket || (_shift > 21 && (b & 0x80) != 0))
                    {
                        throw new IOException($"an MQTT packet of more than {maxPacket} bytes");
                    }
                    if ((b & 0x80) == 0)
                    {
                        _remaining = _length;
                        _state = _remaining == 0 ? 0 : 2;
                    }
                    break;
                default:
                    var take = (int)Math.Min(_remaining, bytes.Length - i);
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = 0;
                    }
                    break;
            }
        }
        return bytes.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

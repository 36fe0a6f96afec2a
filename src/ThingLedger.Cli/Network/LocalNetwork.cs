using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using ThingLedger.Client;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Node;

namespace ThingLedger.Cli.Network;

/// <summary>One etcd member of a local network.</summary>
public sealed class EtcdMember
{
    public string Name { get; set; } = string.Empty;
    public string ClientUrl { get; set; } = string.Empty;
    public string PeerUrl { get; set; } = string.Empty;
    public string DataDir { get; set; } = string.Empty;

    /// <summary>The port of the peer's MQTT broker for its organisation's devices, on 127.0.0.1 (0: the node's default).</summary>
    public int MqttPort { get; set; }

    public int Pid { get; set; }
}

/// <summary>One organisation's peer of a local network.</summary>
public sealed class PeerMember
{
    public string Org { get; set; } = string.Empty;
    public string Url { get; set; } = string.Empty;
    public string DataDir { get; set; } = string.Empty;

    /// <summary>The port of the peer's MQTT broker for its organisation's devices, on 127.0.0.1 (0: the node's default).</summary>
    public int MqttPort { get; set; }

    public int Pid { get; set; }
}

/// <summary>network.json: what `network up` created and started, read by `status` and `down`.</summary>
public sealed class NetworkManifest
{
    public string ChainId { get; set; } = string.Empty;
    public int Quorum { get; set; }
    public int BlockIntervalMs { get; set; }
    public int RetainBlocks { get; set; }
    public List<EtcdMember> Etcd { get; set; } = [];
    public List<PeerMember> Peers { get; set; } = [];

    public string EtcdEndpoints => string.Join(',', Etcd.Select(e => e.ClientUrl));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(NetworkManifest))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;

/// <summary>
/// A consortium on one machine (docs/CONSORTIUM.md): an etcd cluster and one peer per
/// organisation, all on 127.0.0.1, each a background process whose id is kept in network.json.
/// Creating it writes one genesis naming every organisation and its peer's validator key.
/// </summary>
public sealed class LocalNetwork
{
    public const string ManifestFile = "network.json";

    private LocalNetwork(string directory, NetworkManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }
    public NetworkManifest Manifest { get; }

    public string LogPath(string name) => Path.Combine(Directory, "logs", name + ".log");

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    public static LocalNetwork Load(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: no local network here (run `thingledger network up --dir {directory}`)");
        }
        var manifest = StrictJson.Deserialize(File.ReadAllText(path), NetworkJsonContext.Default.NetworkManifest, path);
        return new LocalNetwork(Path.GetFullPath(directory), manifest);
    }

    public void Save()
    {
        var path = Path.Combine(Directory, ManifestFile);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(Manifest, NetworkJsonContext.Default.NetworkManifest));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes keys, genesis and the manifest for <paramref name="orgs"/> organisations.</summary>
    public static LocalNetwork Create(string directory, string chainId, int orgs, int quorum, int etcdMembers, int basePort, int blockIntervalMs, int retainBlocks)
    {
        directory = Path.GetFullPath(directory);
        if (System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"{directory} is not empty and holds no network.json; choose an empty directory");
        }
        DataDirectory.CreateIgnored(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "logs"));
        var specs = Enumerable.Range(0, orgs).Select(i => i < DevChain.SampleOrgs.Length ? DevChain.SampleOrgs[i] : new OrgSpec($"org{i + 1}", $"Organisation {i + 1}")).ToList();
        var genesisOrgs = new List<GenesisOrg>();
        var validators = new List<GenesisValidator>();
        var manifest = new NetworkManifest { ChainId = chainId, Quorum = quorum, BlockIntervalMs = blockIntervalMs, RetainBlocks = retainBlocks };
        var validatorKeys = new List<(string Dir, KeyPair Key)>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var peerDir = Path.Combine(directory, "peers", spec.Id);
            System.IO.Directory.CreateDirectory(peerDir);
            using var admin = DevChain.Keys(peerDir).Create(DevChain.AdminKeyName(spec.Id));
            genesisOrgs.Add(new GenesisOrg(spec.Id, spec.Name, [admin.PublicKey]));
            var validator = KeyPair.Generate();
            validators.Add(new GenesisValidator(spec.Id, validator.PublicKey));
            validatorKeys.Add((peerDir, validator));
            // Each peer's devices connect to their own organisation's node: one MQTT port per peer, beside its HTTP port.
            manifest.Peers.Add(new PeerMember { Org = spec.Id, Url = $"http://127.0.0.1:{basePort + i}", DataDir = peerDir, MqttPort = basePort + 300 + i });
        }
        var genesis = new Genesis(chainId, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), genesisOrgs, validators, quorum);
        foreach (var (dir, key) in validatorKeys)
        {
            using (key)
            {
                OwnerOnlyFile.Create(DataDirectory.NodeKeyPath(dir), key.ExportPkcs8Pem());
            }
            File.WriteAllText(DataDirectory.GenesisPath(dir), genesis.ToJson());
        }
        File.WriteAllText(Path.Combine(directory, DataDirectory.GenesisFile), genesis.ToJson());
        for (var i = 0; i < etcdMembers; i++)
        {
            manifest.Etcd.Add(new EtcdMember
            {
                Name = $"etcd{i + 1}",
                ClientUrl = $"http://127.0.0.1:{basePort + 100 + i}",
                PeerUrl = $"http://127.0.0.1:{basePort + 200 + i}",
                DataDir = Path.Combine(directory, "etcd", $"etcd{i + 1}"),
            });
        }
        var network = new LocalNetwork(directory, manifest);
        network.Save();
        return network;
    }

    /// <summary>
    /// Creates the folder of a peer for a new organisation (admin key, validator key, the same
    /// genesis) and adds it to the manifest on the next free port. The organisation joins the
    /// chain only once a membership change adding it is enacted (`network add-org`).
    /// </summary>
    public (PeerMember Peer, PublicKey Admin, PublicKey Validator) AddPeer(string org)
    {
        if (!Identifiers.IsOrgId(org))
        {
            throw new ArgumentException($"'{org}' is not an organisation id (1-32 of a-z 0-9 '-', starting with a letter)");
        }
        if (Manifest.Peers.Any(p => p.Org == org))
        {
            throw new ArgumentException($"organisation '{org}' already has a peer in this network");
        }
        var peerDir = Path.Combine(Directory, "peers", org);
        if (System.IO.Directory.Exists(peerDir))
        {
            throw new InvalidOperationException($"{peerDir} already exists; remove it or choose another organisation id");
        }
        System.IO.Directory.CreateDirectory(peerDir);
        using var admin = DevChain.Keys(peerDir).Create(DevChain.AdminKeyName(org));
        using var validator = KeyPair.Generate();
        OwnerOnlyFile.Create(DataDirectory.NodeKeyPath(peerDir), validator.ExportPkcs8Pem());
        File.Copy(Path.Combine(Directory, DataDirectory.GenesisFile), DataDirectory.GenesisPath(peerDir));
        var port = Manifest.Peers.Max(p => new Uri(p.Url).Port) + 1;
        var mqtt = Manifest.Peers.Max(p => p.MqttPort) is var last and > 0 ? last + 1 : 0;
        var peer = new PeerMember { Org = org, Url = $"http://127.0.0.1:{port}", DataDir = peerDir, MqttPort = mqtt };
        Manifest.Peers.Add(peer);
        Save();
        return (peer, admin.PublicKey, validator.PublicKey);
    }

    /// <summary>The admin key of an organisation's peer folder.</summary>
    public KeyPair AdminKey(PeerMember peer) => DevChain.Keys(peer.DataDir).Load(DevChain.AdminKeyName(peer.Org));

    public static bool IsRunning(int pid, string marker)
    {
        if (pid <= 0)
        {
            return false;
        }
        try
        {
            // The process must still be ours: a recycled id runs something else.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return cmdline.Contains(marker, StringComparison.Ordinal) && !stat.Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public bool IsRunning(EtcdMember member) => IsRunning(member.Pid, member.DataDir);

    public bool IsRunning(PeerMember peer) => IsRunning(peer.Pid, peer.DataDir);

    public int StartEtcd(EtcdMember member)
    {
        var cluster = string.Join(',', Manifest.Etcd.Select(e => $"{e.Name}={e.PeerUrl}"));
        member.Pid = Spawn(member.Name, "etcd",
        [
            "--name", member.Name,
            "--data-dir", member.DataDir,
            "--listen-client-urls", member.ClientUrl,
            "--advertise-client-urls", member.ClientUrl,
            "--listen-peer-urls", member.PeerUrl,
            "--initial-advertise-peer-urls", member.PeerUrl,
            "--initial-cluster", cluster,
            "--initial-cluster-token", Manifest.ChainId,
            "--initial-cluster-state", "new",
            "--heartbeat-interval", "100",
            "--election-timeout", "1000",
            "--logger", "zap",
        ]);
        return member.Pid;
    }

    public int StartPeer(PeerMember peer)
    {
        var others = string.Join(',', Manifest.Peers.Where(p => p != peer).Select(p => p.Url));
        var (program, prefix) = ThisProgram();
        peer.Pid = Spawn(peer.Org, program,
        [
            .. prefix,
            "node", "run",
            "--data", peer.DataDir,
            "--urls", peer.Url,
            "--ordering", "etcd",
            "--etcd", Manifest.EtcdEndpoints,
            "--peers", others,
            "--block-interval-ms", Manifest.BlockIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--retain-blocks", Manifest.RetainBlocks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. (peer.MqttPort > 0 ? [$"--Node:Mqtt:Port={peer.MqttPort}"] : Array.Empty<string>()),
        ]);
        return peer.Pid;
    }

    /// <summary>How to start this same program again: the apphost, or `dotnet thingledger.dll`.</summary>
    private static (string Program, string[] Prefix) ThisProgram()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(LocalNetwork).Assembly.Location])
            : (process, []);
    }

    /// <summary>
    /// Starts a process in its own session (so it outlives this command), its output appended to
    /// logs/{name}.log. The id returned is the program's own: the shell execs setsid, which execs it.
    /// </summary>
    private int Spawn(string name, string program, string[] args)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=\"$1\"; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(LogPath(name));
        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        return process.Id;
    }

    /// <summary>Stops a process: SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public static async Task StopAsync(int pid, string marker, TimeSpan grace)
    {
        if (!IsRunning(pid, marker))
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && IsRunning(pid, marker))
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
        if (IsRunning(pid, marker))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }
}

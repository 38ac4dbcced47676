// Command harness-stargz-daemon serves the stargz snapshotter to containerd over a unix socket.
//
// Debian packages the stargz snapshotter as a Go library but not its daemon, so the harness
// builds this small program against that library. It wires the library's lazy filesystem into
// its snapshotter and serves it with containerd's snapshot service; containerd reaches it as a
// proxy plugin. The library's own service package is not used because it needs a CRI API
// package that Debian does not ship.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	snapshotsapi "github.com/containerd/containerd/api/services/snapshots/v1"
	"github.com/containerd/containerd/contrib/snapshotservice"
	"github.com/containerd/containerd/log"
	"github.com/containerd/containerd/reference"
	"github.com/containerd/containerd/remotes/docker"
	"github.com/containerd/containerd/snapshots/overlay/overlayutils"
	"github.com/containerd/stargz-snapshotter/fs"
	"github.com/containerd/stargz-snapshotter/fs/config"
	"github.com/containerd/stargz-snapshotter/fs/layer"
	"github.com/containerd/stargz-snapshotter/fs/source"
	"github.com/containerd/stargz-snapshotter/snapshot"
	"github.com/sirupsen/logrus"
	"google.golang.org/grpc"
)

func main() {
	address := flag.String("address", "/run/harness/stargz.sock", "unix socket to serve on")
	root := flag.String("root", "/var/lib/harness/stargz", "state folder of the snapshotter")
	logLevel := flag.String("log-level", "info", "logrus level: debug, info, warn or error")
	noBackgroundFetch := flag.Bool("no-background-fetch", false,
		"fetch only what is read, never the rest of a layer in the background")
	noPrefetch := flag.Bool("no-prefetch", false, "ignore the prioritized files of eStargz layers")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()

	if *version {
		fmt.Println("harness-stargz-daemon (stargz-snapshotter library from Debian)")
		return
	}

	level, err := logrus.ParseLevel(*logLevel)
	if err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logrus.SetLevel(level)
	logrus.SetFormatter(&logrus.JSONFormatter{TimestampFormat: time.RFC3339Nano})

	if err := serve(*address, *root, *noBackgroundFetch, *noPrefetch); err != nil {
		log.L.WithError(err).Error("snapshotter stopped")
		os.Exit(1)
	}
}

func serve(address, root string, noBackgroundFetch, noPrefetch bool) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cfg := config.Config{
		NoBackgroundFetch: noBackgroundFetch,
		NoPrefetch:        noPrefetch,
		// Metrics would register a global Prometheus namespace that nothing here scrapes.
		NoPrometheus: true,
	}
	filesystem, err := fs.NewFilesystem(filepath.Join(root, "stargz"), cfg,
		fs.WithGetSources(source.FromDefaultLabels(registryHosts)),
		fs.WithOverlayOpaqueType(opaqueType(filepath.Join(root, "snapshotter"))))
	if err != nil {
		return fmt.Errorf("creating the lazy filesystem: %w", err)
	}

	snapshotter, err := snapshot.NewSnapshotter(ctx, filepath.Join(root, "snapshotter"),
		filesystem, snapshot.AsynchronousRemove)
	if err != nil {
		return fmt.Errorf("creating the snapshotter: %w", err)
	}
	defer snapshotter.Close()

	if err := os.MkdirAll(filepath.Dir(address), 0o700); err != nil {
		return err
	}
	if err := os.Remove(address); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing the stale socket %s: %w", address, err)
	}
	listener, err := net.Listen("unix", address)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", address, err)
	}

	server := grpc.NewServer()
	snapshotsapi.RegisterSnapshotsServer(server, snapshotservice.FromSnapshotter(snapshotter))

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-signals
		log.L.Infof("received %v, stopping", sig)
		server.Stop()
	}()

	log.L.Infof("serving the stargz snapshotter on %s", address)
	return server.Serve(listener)
}

// opaqueType chooses the one extended attribute that marks opaque directories of a layer,
// as the library's own service package does: trusted.overlay.opaque for overlayfs mounted by
// the real root, user.overlay.opaque when overlayfs needs its "userxattr" option. The
// library's default offers both, and overlayfs without "userxattr" passes the user one
// through, so every opaque directory would show a stray user.overlay.opaque attribute inside
// the container.
func opaqueType(snapshotterRoot string) layer.OverlayOpaqueType {
	if err := os.MkdirAll(snapshotterRoot, 0o700); err != nil {
		log.L.WithError(err).Warn("cannot create the snapshotter folder to probe overlayfs")
	}
	userxattr, err := overlayutils.NeedsUserXAttr(snapshotterRoot)
	if err != nil {
		log.L.WithError(err).Warnf("cannot tell whether overlayfs needs \"userxattr\", "+
			"assuming %v", userxattr)
	}
	if userxattr {
		return layer.OverlayOpaqueUser
	}
	return layer.OverlayOpaqueTrusted
}

// registryHosts describes how to reach the registry of an image. Loopback registries are
// reached over plain HTTP, others over HTTPS with anonymous bearer tokens. Each host carries
// its own HTTP client: the library's remote fetcher dereferences the client without a nil
// check on the first lazy read.
func registryHosts(spec reference.Spec) ([]docker.RegistryHost, error) {
	host := spec.Hostname()
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	scheme := "https"
	if isLoopback(host) {
		scheme = "http"
	}
	if host == "docker.io" {
		host = "registry-1.docker.io"
	}
	return []docker.RegistryHost{{
		Client:       client,
		Authorizer:   docker.NewDockerAuthorizer(docker.WithAuthClient(client)),
		Host:         host,
		Scheme:       scheme,
		Path:         "/v2",
		Capabilities: docker.HostCapabilityPull | docker.HostCapabilityResolve,
	}}, nil
}

func isLoopback(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	if name == "localhost" {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

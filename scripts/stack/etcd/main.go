// Command switchyard-k8s-helper is the Go helper of scripts/stack/k8s.sh (test stack only).
//
//	switchyard-k8s-helper etcd -data-dir DIR [-client-url URL] [-peer-url URL]
//	    runs a single-member etcd (go.etcd.io/etcd/server/v3/embed) until SIGTERM/SIGINT.
//	switchyard-k8s-helper apply-crds -server URL -ca F -cert F -key F [-timeout D] FILE.yaml...
//	    creates (or, when it already exists, replaces) every CustomResourceDefinition found in
//	    the multi-document YAML files, waits until each is Established and until a list request
//	    on each served resource answers 200.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"sigs.k8s.io/yaml"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("switchyard-k8s-helper: ")
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "etcd":
		err = runEtcd(os.Args[2:])
	case "apply-crds":
		err = applyCRDs(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		log.Fatal(err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: switchyard-k8s-helper etcd|apply-crds [flags]")
	os.Exit(2)
}

// ---------------------------------------------------------------------------------------------
// etcd

func runEtcd(args []string) error {
	fs := flag.NewFlagSet("etcd", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "etcd data directory (required)")
	clientURL := fs.String("client-url", "http://127.0.0.1:22379", "client URL to listen on and advertise")
	peerURL := fs.String("peer-url", "http://127.0.0.1:22380", "peer URL to listen on and advertise")
	logLevel := fs.String("log-level", "warn", "etcd log level")
	_ = fs.Parse(args)
	if *dataDir == "" {
		return errors.New("etcd: -data-dir is required")
	}
	cu, err := url.Parse(*clientURL)
	if err != nil {
		return err
	}
	pu, err := url.Parse(*peerURL)
	if err != nil {
		return err
	}

	cfg := embed.NewConfig()
	cfg.Name = "switchyard"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = *logLevel
	cfg.LogOutputs = []string{"stderr"}
	// Test data only: skip fsync (a process kill loses nothing; only a machine crash could).
	cfg.UnsafeNoFsync = true
	cfg.AutoCompactionMode = "periodic"
	cfg.AutoCompactionRetention = "5m"

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("etcd: start: %w", err)
	}
	defer e.Close()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)

	select {
	case <-e.Server.ReadyNotify():
		log.Printf("etcd ready: client %s, peer %s, data %s", cu, pu, *dataDir)
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		return errors.New("etcd: not ready after 60s")
	case s := <-sig:
		log.Printf("etcd: %s before ready, stopping", s)
		return nil
	}

	select {
	case err := <-e.Err():
		return fmt.Errorf("etcd: %w", err)
	case s := <-sig:
		log.Printf("etcd: %s, stopping", s)
		return nil
	}
}

// ---------------------------------------------------------------------------------------------
// apply-crds

type crd struct {
	name       string
	group      string
	plural     string
	namespaced bool
	versions   []string // served versions
	body       []byte   // JSON
}

type k8sClient struct {
	base string
	hc   *http.Client
}

func (c *k8sClient) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

var docSep = regexp.MustCompile(`(?m)^---[ \t]*$`)

func readCRDs(files []string) ([]crd, error) {
	var out []crd
	seen := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for i, doc := range docSep.Split(string(raw), -1) {
			j, err := yaml.YAMLToJSON([]byte(doc))
			if err != nil {
				return nil, fmt.Errorf("%s: document %d: %w", f, i, err)
			}
			if t := bytes.TrimSpace(j); len(t) == 0 || string(t) == "null" {
				continue // empty or comment-only document
			}
			var obj struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Metadata   struct {
					Name string `json:"name"`
				} `json:"metadata"`
				Spec struct {
					Group string `json:"group"`
					Scope string `json:"scope"`
					Names struct {
						Plural string `json:"plural"`
					} `json:"names"`
					Versions []struct {
						Name   string `json:"name"`
						Served bool   `json:"served"`
					} `json:"versions"`
				} `json:"spec"`
			}
			if err := json.Unmarshal(j, &obj); err != nil {
				return nil, fmt.Errorf("%s: document %d: %w", f, i, err)
			}
			if obj.Kind != "CustomResourceDefinition" || obj.APIVersion != "apiextensions.k8s.io/v1" {
				return nil, fmt.Errorf("%s: document %d: %s %s is not an apiextensions.k8s.io/v1 CustomResourceDefinition", f, i, obj.APIVersion, obj.Kind)
			}
			if seen[obj.Metadata.Name] {
				return nil, fmt.Errorf("%s: CRD %s appears twice", f, obj.Metadata.Name)
			}
			seen[obj.Metadata.Name] = true
			c := crd{name: obj.Metadata.Name, group: obj.Spec.Group, plural: obj.Spec.Names.Plural,
				namespaced: obj.Spec.Scope == "Namespaced", body: j}
			for _, v := range obj.Spec.Versions {
				if v.Served {
					c.versions = append(c.versions, v.Name)
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

func applyCRDs(args []string) error {
	fs := flag.NewFlagSet("apply-crds", flag.ExitOnError)
	server := fs.String("server", "https://127.0.0.1:26443", "API server URL")
	caFile := fs.String("ca", "", "CA certificate (PEM) of the API server")
	certFile := fs.String("cert", "", "client certificate (PEM)")
	keyFile := fs.String("key", "", "client key (PEM)")
	timeout := fs.Duration("timeout", 180*time.Second, "overall timeout")
	_ = fs.Parse(args)
	if fs.NArg() == 0 {
		return errors.New("apply-crds: no YAML files given")
	}

	caPEM, err := os.ReadFile(*caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("apply-crds: no certificate in %s", *caFile)
	}
	kp, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		return err
	}
	c := &k8sClient{base: strings.TrimRight(*server, "/"), hc: &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: pool, Certificates: []tls.Certificate{kp}, MinVersion: tls.VersionTLS12}},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	crds, err := readCRDs(fs.Args())
	if err != nil {
		return err
	}
	start := time.Now()

	created, replaced := 0, 0
	for _, d := range crds {
		code, body, err := c.do(ctx, http.MethodPost, crdPath, d.body)
		if err != nil {
			return fmt.Errorf("create CRD %s: %w", d.name, err)
		}
		switch code {
		case http.StatusCreated, http.StatusOK:
			created++
		case http.StatusConflict:
			// AlreadyExists (etcd data kept from an earlier run): replace it with this file's
			// version so the server always serves the CRDs of /work/shared/crds.
			if err := replaceCRD(ctx, c, d); err != nil {
				return err
			}
			replaced++
		default:
			return fmt.Errorf("create CRD %s: HTTP %d: %s", d.name, code, trim(body))
		}
	}
	log.Printf("CRDs: %d created, %d already present (replaced) in %s", created, replaced, time.Since(start).Round(time.Millisecond))

	// Wait for Established=True on every CRD.
	for {
		pending, err := notEstablished(ctx, c, crds)
		if err == nil && len(pending) == 0 {
			break
		}
		if ctx.Err() != nil {
			if err != nil {
				return fmt.Errorf("waiting for Established: %w", err)
			}
			return fmt.Errorf("CRDs not Established after %s: %s", *timeout, strings.Join(pending, ", "))
		}
		time.Sleep(200 * time.Millisecond)
	}
	log.Printf("all %d CRDs Established after %s", len(crds), time.Since(start).Round(time.Millisecond))

	// Wait until a list request on every served version of every CRD answers 200.
	for {
		pending := notServed(ctx, c, crds)
		if len(pending) == 0 {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("resources not served after %s: %s", *timeout, strings.Join(pending, ", "))
		}
		time.Sleep(200 * time.Millisecond)
	}
	log.Printf("all CRD resources served after %s", time.Since(start).Round(time.Millisecond))
	return nil
}

func replaceCRD(ctx context.Context, c *k8sClient, d crd) error {
	for attempt := 0; attempt < 5; attempt++ {
		code, body, err := c.do(ctx, http.MethodGet, crdPath+"/"+d.name, nil)
		if err != nil {
			return fmt.Errorf("get CRD %s: %w", d.name, err)
		}
		if code != http.StatusOK {
			return fmt.Errorf("get CRD %s: HTTP %d: %s", d.name, code, trim(body))
		}
		var cur struct {
			Metadata struct {
				ResourceVersion string `json:"resourceVersion"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(body, &cur); err != nil {
			return err
		}
		var obj map[string]any
		if err := json.Unmarshal(d.body, &obj); err != nil {
			return err
		}
		md, _ := obj["metadata"].(map[string]any)
		md["resourceVersion"] = cur.Metadata.ResourceVersion
		nb, _ := json.Marshal(obj)
		code, body, err = c.do(ctx, http.MethodPut, crdPath+"/"+d.name, nb)
		if err != nil {
			return fmt.Errorf("replace CRD %s: %w", d.name, err)
		}
		if code == http.StatusOK || code == http.StatusCreated {
			return nil
		}
		if code != http.StatusConflict {
			return fmt.Errorf("replace CRD %s: HTTP %d: %s (stale etcd data? stop the stack and delete its etcd directory)", d.name, code, trim(body))
		}
	}
	return fmt.Errorf("replace CRD %s: conflicts", d.name)
}

func notEstablished(ctx context.Context, c *k8sClient, crds []crd) ([]string, error) {
	code, body, err := c.do(ctx, http.MethodGet, crdPath, nil)
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("list CRDs: HTTP %d: %s", code, trim(body))
	}
	var list struct {
		Items []struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Status struct {
				Conditions []struct {
					Type    string `json:"type"`
					Status  string `json:"status"`
					Message string `json:"message"`
				} `json:"conditions"`
			} `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, err
	}
	ok := map[string]bool{}
	for _, it := range list.Items {
		for _, cond := range it.Status.Conditions {
			if cond.Type == "Established" && cond.Status == "True" {
				ok[it.Metadata.Name] = true
			}
		}
	}
	var pending []string
	for _, d := range crds {
		if !ok[d.name] {
			pending = append(pending, d.name)
		}
	}
	return pending, nil
}

func notServed(ctx context.Context, c *k8sClient, crds []crd) []string {
	var pending []string
	for _, d := range crds {
		for _, v := range d.versions {
			p := "/apis/" + d.group + "/" + v + "/"
			if d.namespaced {
				p += "namespaces/default/"
			}
			p += d.plural + "?limit=1"
			code, _, err := c.do(ctx, http.MethodGet, p, nil)
			if err != nil || code != http.StatusOK {
				pending = append(pending, fmt.Sprintf("%s %s/%s (HTTP %d)", d.plural, d.group, v, code))
			}
		}
	}
	return pending
}

func trim(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

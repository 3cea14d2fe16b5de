// Command k8s-validate reads Kubernetes manifests (YAML, documents separated by ---) from the files named on
// its command line and decodes each document strictly into the official API type of its apiVersion and kind
// (k8s.io/api): an unknown field, a field of the wrong type or an unknown kind is an error. It is the check
// npm run test:cluster runs on deploy/kubernetes/, where no cluster (and no schema download) is available.
package main

import (
	"fmt"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

func main() {
	codecs := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict)
	decoder := codecs.UniversalDeserializer()
	failed := false
	count := 0
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for i, doc := range strings.Split(string(data), "\n---\n") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			json, err := yaml.YAMLToJSONStrict([]byte(doc))
			if err != nil {
				fmt.Printf("%s document %d: %v\n", file, i+1, err)
				failed = true
				continue
			}
			obj, gvk, err := decoder.Decode(json, nil, nil)
			if err != nil {
				fmt.Printf("%s document %d: %v\n", file, i+1, err)
				failed = true
				continue
			}
			if _, ok := obj.(runtime.Object); !ok || gvk == nil {
				fmt.Printf("%s document %d: not a Kubernetes object\n", file, i+1)
				failed = true
				continue
			}
			count++
			fmt.Printf("ok %s\n", gvk.String())
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Printf("%d objects valid\n", count)
}

global using Thoras.TestSupport.Kubernetes;

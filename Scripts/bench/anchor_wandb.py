"""Anchors for the W&B workloads: the ``wandb`` SDK (0.31.0) in offline mode doing the same work.

One timed run is ``wandb.init(mode="offline")``, ``run.log({"loss": ...}, step=i)`` per scalar, and
``run.finish()``, which returns once wandb-core has written the run's ``.wandb`` log. The SDK takes about
140 us per ``run.log`` on our machine, so the 100 000-call workload would need ~90 s of anchor time (a warm-up
plus five runs); the SDK is timed on the 10 000-call workload only (``wandb.add_scalar.10000``), and the report
scales that figure by 10 for the 100 000-call comparison.
"""
import os
import tempfile


def sdk_offline(count):
    def factory(workdir):
        import wandb

        os.environ.setdefault("WANDB_SILENT", "true")
        os.environ["WANDB_MODE"] = "offline"
        # A private config/cache directory: nothing is read from or written to the user's account.
        home = tempfile.mkdtemp(prefix="wandb-anchor-", dir=workdir)
        for variable in ("WANDB_CONFIG_DIR", "WANDB_CACHE_DIR", "WANDB_DATA_DIR"):
            os.environ[variable] = home
        settings = wandb.Settings(silent=True, x_disable_stats=True)

        def run():
            session = wandb.init(mode="offline", dir=home, project="bench", settings=settings)
            for step in range(count):
                session.log({"loss": 1.0 / (step + 1)}, step=step)
            session.finish()
        return run
    return factory


WORKLOADS = {
    "wandb.add_scalar.10000": {"wandb-sdk-offline": sdk_offline(10_000)},
}

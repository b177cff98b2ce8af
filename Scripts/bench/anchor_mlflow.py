"""Anchors for the MLflow workloads: MLflow's Python client (``MlflowClient``) logging to the same local
``mlflow server`` as the Swift side (vis-bench exports its URL as ``VIS_BENCH_MLFLOW_URI``).

One timed run creates a run, logs, and ends it (``set_terminated``), as the Swift run opens, logs and closes:
- ``mlflow.scalars.1000``: ``log_metric`` once per scalar (one HTTP request each), the client's everyday call;
- ``mlflow.scalars.10000+images.20``: ``log_batch`` with 1 000 metrics per request (the fastest the client
  offers), then 20 ``log_image`` calls of the 320x200 image vis-bench wrote. (Per call this workload would take
  about ten times the 1 000-scalar one for every one of the six timed runs, so per-call cost is measured there.)
"""
import contextlib
import os


def _setup(workdir):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=os.environ["VIS_BENCH_MLFLOW_URI"])
    experiment = client.get_experiment_by_name("vis-bench-python")
    experiment_id = experiment.experiment_id if experiment else client.create_experiment("vis-bench-python")
    return client, experiment_id


def _image(workdir):
    import numpy as np
    from PIL import Image

    with Image.open(os.path.join(workdir, "mlflow-image-320x200.png")) as image:
        return np.asarray(image.convert("RGB"))


def anchor(count, images, batched):
    """One run: ``count`` scalars (per ``log_metric`` call, or ``log_batch`` of 1 000), then ``images`` images."""
    def factory(workdir):
        import time
        from mlflow.entities import Metric

        client, experiment_id = _setup(workdir)
        image = _image(workdir) if images else None

        def log(run_id):
            if batched:
                now = int(time.time() * 1000)
                metrics = [Metric("loss", 1.0 / (step + 1), now, step) for step in range(count)]
                for start in range(0, count, 1000):
                    client.log_batch(run_id, metrics=metrics[start:start + 1000])
            else:
                for step in range(count):
                    client.log_metric(run_id, "loss", 1.0 / (step + 1), step=step)
            for index in range(images):
                client.log_image(run_id, image, f"img_{index}.png")
            client.set_terminated(run_id)

        def run():
            # The client prints "View run ..." links on stdout, where anchors.py writes its JSON.
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                log(client.create_run(experiment_id).info.run_id)
        return run
    return factory


WORKLOADS = {
    "mlflow.scalars.1000": {"mlflow-client-log_metric": anchor(1000, 0, batched=False)},
    "mlflow.scalars.10000+images.20": {"mlflow-client-log_batch": anchor(10_000, 20, batched=True)},
}

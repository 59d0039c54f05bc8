# The planner as one small image: a wheel built in a throw-away stage, installed into a slim
# Python, run as an unprivileged user, with a health check on Streamlit's own endpoint.
#   docker build -t technopolis-planner .
#   docker run -p 8501:8501 technopolis-planner        # the SQLite library, kept in the container
# With PostgreSQL and several replicas: compose.yaml and the README's "Hosting for a team".

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE* ./
COPY src ./src
COPY data ./data
COPY docs ./docs
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PLANNER_LIBRARY_PATH=/home/planner/library/library.sqlite3
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin planner
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels technopolis-planner && rm -rf /wheels
WORKDIR /app
COPY app.py ./
COPY .streamlit/config.toml ./.streamlit/config.toml
USER planner
RUN mkdir -p /home/planner/library
VOLUME ["/home/planner/library"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]

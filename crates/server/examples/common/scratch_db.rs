//! A throwaway database on the PostgreSQL cluster a benchmark is given
//! (`POINTAGE_BENCH_POSTGRES`, without `dbname`): made empty before the
//! run, dropped after it. Shared by the server's benchmarks (`#[path]`).

/// A new, empty database named `name` on the cluster of `base`: its
/// connection string.
pub async fn new_database(base: &str, name: &str) -> Result<String, String> {
    let (client, conn) =
        tokio_postgres::connect(&format!("{base} dbname=postgres"), tokio_postgres::NoTls)
            .await
            .map_err(|e| format!("POINTAGE_BENCH_POSTGRES={base}: {e}"))?;
    tokio::spawn(conn);
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(format!("{base} dbname={name}"))
}

/// Drops the database of `url` (made by [`new_database`] on `base`),
/// whoever is still connected to it.
pub async fn drop_database(base: &str, url: &str) {
    let name = url.rsplit("dbname=").next().unwrap_or_default();
    if let Ok((client, conn)) =
        tokio_postgres::connect(&format!("{base} dbname=postgres"), tokio_postgres::NoTls).await
    {
        tokio::spawn(conn);
        let _ = client
            .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await;
    }
}

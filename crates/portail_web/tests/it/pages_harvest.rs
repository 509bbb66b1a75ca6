//! The harvesting pages through real HTTP, mirroring `src/pages/harvest.rs`: a loopback CKAN
//! catalog (from `harvest.rs`), signed-in browsers with cookies and CSRF tokens, every role.

use portail_app::harvest;
use reqwest::StatusCode;
use serde_json::json;

use crate::harvest::{Catalog, Mode, ckan_body, create_source, portal, wait_for_job};
use crate::pages_browser::{Browser, Page};
use crate::support::{TestApp, TestUser};

async fn browser(t: &TestApp, user: &TestUser) -> Browser {
    let mut b = Browser::new(t);
    let page = b.login(&user.email, "long enough password").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    b
}

fn ok(page: &Page) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
}

async fn newest_job(t: &TestApp, source: &str) -> String {
    let r = t
        .get(&format!("/api/1/harvest/source/{source}/jobs/"), None)
        .await;
    r.body["data"][0]["id"].as_str().expect("a job").to_owned()
}

#[tokio::test]
async fn harvest_pages_send_anonymous_visitors_to_the_login() {
    let t = portal().await;
    let owner = t.user("Owner").await;
    let catalog = Catalog::start(&["a"]).await;
    let r = create_source(&t, &owner, ckan_body(&catalog, "Source", None)).await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let mut b = Browser::new(&t);
    for path in [
        "/harvest/".to_owned(),
        "/harvest/new".to_owned(),
        format!("/harvest/{id}/"),
        format!("/harvest/{id}/preview"),
        format!("/harvest/{id}/delete"),
        "/harvest/jobs/nope/".to_owned(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.html);
        assert!(page.location().starts_with("/login?next="), "{path}");
    }
    // Forms: the anonymous CSRF token is valid, the session is not there.
    b.get("/login").await;
    for path in [format!("/harvest/{id}/run"), "/harvest/new".to_owned()] {
        let page = b.post(&path, &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.html);
        assert!(page.location().starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn a_source_is_created_through_the_form_and_errors_keep_what_was_typed() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["air"]).await;
    let mut b = browser(&t, &cast.admin).await;
    let page = b.get("/harvest/new").await;
    ok(&page);
    assert!(
        page.html.contains("Régie des données"),
        "the admin's organization is offered"
    );
    assert!(page.html.contains("API Action"), "backends are described");
    assert!(page.html.contains("<label for=\"f-url\">"));
    // Several mistakes at once: each is shown by its field and nothing typed is lost.
    let bad = [
        ("name", ""),
        ("url", "pas une adresse"),
        ("backend", "ckan"),
        ("publisher", cast.org.as_str()),
        ("filter_key_0", "organization"),
        ("filter_value_0", "ademe"),
        ("filter_exclude_0", "1"),
        ("schedule", "tous les jours"),
        ("description", "Le catalogue de la région."),
    ];
    let page = b.post("/harvest/new", &bad).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("Le formulaire contient des erreurs"));
    assert!(page.html.contains("id=\"fe-name\""), "{}", page.html);
    assert!(page.html.contains("id=\"fe-url\""));
    assert!(page.html.contains("id=\"fe-schedule\""));
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains("value=\"pas une adresse\""));
    assert!(page.html.contains("value=\"ademe\""));
    assert!(page.html.contains("Le catalogue de la région."));
    assert!(page.html.contains("value=\"tous les jours\""));
    assert!(
        page.html
            .contains(&format!("value=\"{}\" selected", cast.org))
    );
    assert!(page.html.contains("value=\"organization\" selected"));
    // A filter the backend does not know: the filters' fieldset says so.
    let url = catalog.base.clone();
    let mut fields = bad.to_vec();
    fields[0] = ("name", "Catalogue régional");
    fields[1] = ("url", url.as_str());
    fields[4] = ("filter_key_0", "keyword");
    fields[7] = ("schedule", "0 3 * * 1");
    let page = b.post("/harvest/new", &fields).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("id=\"fe-config\""), "{}", page.html);
    assert!(page.html.contains("unknown filter"));
    // Right this time.
    fields[4] = ("filter_key_0", "organization");
    let page = b.post("/harvest/new", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let id = page
        .location()
        .trim_start_matches("/harvest/")
        .trim_end_matches('/')
        .to_owned();
    let r = t.get(&format!("/api/1/harvest/source/{id}/"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["name"], "Catalogue régional");
    assert_eq!(r.body["organization"], json!(cast.org));
    assert_eq!(r.body["validation"]["state"], "pending");
    assert_eq!(r.body["schedule"], "0 3 * * 1");
    assert_eq!(r.body["next_run_at"], json!(null), "not before validation");
    assert_eq!(
        r.body["config"]["filters"],
        json!([{"key": "organization", "value": "ademe", "type": "exclude"}])
    );
    let page = b.get(&format!("/harvest/{id}/")).await;
    ok(&page);
    assert!(page.html.contains("En attente de validation"));
    assert!(page.html.contains("Jamais exécutée"));
    // Organization given by someone who is not its admin: refused.
    let mut other = browser(&t, &cast.editor).await;
    other.get("/harvest/new").await;
    let page = other.post("/harvest/new", &fields).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
}

#[tokio::test]
async fn the_list_shows_what_each_user_works_on() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["a"]).await;
    let r = create_source(&t, &cast.owner, ckan_body(&catalog, "Source perso", None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Source de la régie", Some(&cast.org)),
    )
    .await;
    let org_source = r.body["id"].as_str().expect("id").to_owned();
    let org = t
        .get(&format!("/api/1/organizations/{}/", cast.org), None)
        .await;
    let org_slug = org.body["slug"].as_str().expect("slug").to_owned();
    let cases = [
        (&cast.owner, true, false),
        (&cast.admin, false, true),
        (&cast.editor, false, true),
        (&cast.partial, false, false),
        (&cast.other, false, false),
        (&cast.sysadmin, true, true),
    ];
    for (user, own, of_org) in cases {
        let mut b = browser(&t, user).await;
        let page = b.get("/harvest/").await;
        ok(&page);
        assert_eq!(page.html.contains("Source perso"), own, "{}", user.slug);
        assert_eq!(
            page.html.contains("Source de la régie"),
            of_org,
            "{}",
            user.slug
        );
        assert_eq!(page.html.contains("<th scope=\"col\">"), own || of_org);
        assert_eq!(page.html.contains("Aucune source"), !own && !of_org);
        let page = b.get(&format!("/harvest/?organization={org_slug}")).await;
        if of_org {
            ok(&page);
            assert!(page.html.contains("Source de la régie"));
            assert!(!page.html.contains("Source perso"));
        } else {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", user.slug);
        }
    }
    let mut b = browser(&t, &cast.admin).await;
    // Reached from the profile and, for its admins, from the organization's page.
    let page = b.get("/me/").await;
    assert!(page.html.contains("href=\"/harvest/\""));
    let page = b.get(&format!("/organizations/{org_slug}/")).await;
    assert!(
        page.html
            .contains(&format!("href=\"/harvest/?organization={org_slug}\""))
    );
    let mut other = browser(&t, &cast.other).await;
    let page = other.get(&format!("/organizations/{org_slug}/")).await;
    assert!(!page.html.contains("/harvest/?organization="));
    let page = b.get("/harvest/?organization=nope").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // The last job's status shows in the list.
    let actor = t.actor_of(&cast.sysadmin).await;
    let source = harvest::validate(&t.app, &actor, &org_source, "accepted", None)
        .await
        .expect("validate");
    let job = harvest::queue_job(&t.app, &source).await.expect("queue");
    harvest::run_job(&t.app, &source, job, None)
        .await
        .expect("run");
    let page = b.get("/harvest/").await;
    assert!(page.html.contains("Acceptée"));
    assert!(page.html.contains("Terminée"), "{}", page.html);
    assert!(page.html.contains("0 0 * * *"));
}

#[tokio::test]
async fn a_source_page_validates_runs_schedules_and_deletes_by_role() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["air", "eau"]).await;
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Catalogue CKAN", Some(&cast.org)),
    )
    .await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let mut admin = browser(&t, &cast.admin).await;
    let mut editor = browser(&t, &cast.editor).await;
    let mut other = browser(&t, &cast.other).await;
    let mut root = browser(&t, &cast.sysadmin).await;

    // Who sees what.
    let page = other.get(&format!("/harvest/{id}/")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = editor.get(&format!("/harvest/{id}/")).await;
    ok(&page);
    assert!(page.html.contains("Aperçu"));
    assert!(
        !page.html.contains("Lancer maintenant"),
        "editors do not run"
    );
    assert!(!page.html.contains("/delete"));
    let page = admin.get(&format!("/harvest/{id}/")).await;
    ok(&page);
    assert!(page.html.contains("Lancer maintenant"));
    assert!(
        !page.html.contains("Accepter la source"),
        "admins do not validate"
    );
    for path in [
        "/harvest/nope/",
        "/harvest/nope/preview",
        "/harvest/jobs/nope/",
    ] {
        let page = admin.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }

    // Not validated yet: running says why.
    let page = admin.post(&format!("/harvest/{id}/run"), &[]).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("pas encore validée"));
    // Validation: sysadmins only; refusing needs a comment.
    let page = admin
        .post(&format!("/harvest/{id}/validate"), &[("state", "accepted")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = root.get(&format!("/harvest/{id}/")).await;
    assert!(page.html.contains("Accepter la source"));
    let page = root
        .post(
            &format!("/harvest/{id}/validate"),
            &[("state", "refused"), ("comment", " ")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("id=\"ve-comment\""));
    let page = root
        .post(
            &format!("/harvest/{id}/validate"),
            &[
                ("state", "refused"),
                ("comment", "Adresse du catalogue à vérifier"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let page = admin.get(&format!("/harvest/{id}/")).await;
    assert!(page.html.contains("Refusée"));
    assert!(page.html.contains("Adresse du catalogue à vérifier"));
    let page = root
        .post(&format!("/harvest/{id}/validate"), &[("state", "accepted")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), format!("/harvest/{id}/?done=validated"));
    // Accepting started a first run.
    let first = newest_job(&t, &id).await;
    wait_for_job(&t, &first).await;
    let page = root.get(page.location()).await;
    assert!(page.html.contains("La décision est enregistrée."));
    assert!(page.html.contains("Acceptée"));

    // Run now: the job page follows it.
    let page = admin.get(&format!("/harvest/{id}/")).await;
    ok(&page);
    let page = admin.post(&format!("/harvest/{id}/run"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let job_path = page.location().to_owned();
    assert!(job_path.starts_with("/harvest/jobs/"), "{job_path}");
    let job_id = job_path
        .trim_start_matches("/harvest/jobs/")
        .trim_end_matches('/');
    wait_for_job(&t, job_id).await;
    let page = editor.get(&job_path).await;
    ok(&page);
    assert!(page.html.contains("Terminée"));
    assert!(page.html.contains("fait"));
    assert!(page.html.contains("Jeu air"), "items link their dataset");
    assert!(
        page.html.contains("href=\"/datasets/jeu-air/\""),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("<th scope=\"col\">Identifiant distant</th>")
    );
    let page = other.get(&job_path).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // A run while another is pending: a notice, not a second job.
    let source = harvest::get(&t.app, &id).await.expect("source");
    let pending = harvest::queue_job(&t.app, &source).await.expect("queue");
    let page = admin.post(&format!("/harvest/{id}/run"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    assert!(page.html.contains("déjà en attente ou en cours"));
    assert!(page.html.contains("role=\"alert\""));
    harvest::run_job(&t.app, &source, pending, None)
        .await
        .expect("run");

    // Schedule: sysadmins; a wrong expression keeps what was typed.
    let page = admin
        .post(
            &format!("/harvest/{id}/schedule"),
            &[("schedule", "0 3 * * 1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    root.get(&format!("/harvest/{id}/")).await;
    let page = root
        .post(
            &format!("/harvest/{id}/schedule"),
            &[("schedule", "0 3 * *")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert!(page.html.contains("id=\"se-schedule\""));
    assert!(page.html.contains("value=\"0 3 * *\""));
    let page = root
        .post(
            &format!("/harvest/{id}/schedule"),
            &[("schedule", "0 3 * * 1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let r = t.get(&format!("/api/1/harvest/source/{id}/"), None).await;
    assert_eq!(r.body["schedule"], "0 3 * * 1");
    let page = root
        .post(&format!("/harvest/{id}/schedule"), &[("schedule", "")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let r = t.get(&format!("/api/1/harvest/source/{id}/"), None).await;
    assert_eq!(r.body["schedule"], json!(null));

    // A failing remote: the job page shows the job's error.
    catalog.mode(Mode::ServerError);
    let page = admin.post(&format!("/harvest/{id}/run"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let failed = page.location().to_owned();
    wait_for_job(
        &t,
        failed
            .trim_start_matches("/harvest/jobs/")
            .trim_end_matches('/'),
    )
    .await;
    let page = admin.get(&failed).await;
    ok(&page);
    assert!(page.html.contains("Échouée"));
    assert!(
        page.html.contains("Erreurs de l&#x27;exécution")
            || page.html.contains("Erreurs de l'exécution")
    );
    assert!(page.html.contains("503"), "{}", page.html);

    // Delete: admins, after a confirmation; the datasets stay.
    let page = editor.get(&format!("/harvest/{id}/delete")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = editor.post(&format!("/harvest/{id}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = admin.get(&format!("/harvest/{id}/delete")).await;
    ok(&page);
    assert!(page.html.contains("restent publiés"));
    let page = admin.post_raw(&format!("/harvest/{id}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "no CSRF token");
    let page = admin.post(&format!("/harvest/{id}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/harvest/");
    let page = admin.get(&format!("/harvest/{id}/")).await;
    assert_eq!(page.status, StatusCode::GONE);
    let r = t.get("/api/1/datasets/jeu-air/", None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_preview_page_is_a_dry_run_in_a_table() {
    let t = portal().await;
    let cast = t.cast().await;
    let catalog = Catalog::start(&["air", "eau"]).await;
    let r = create_source(
        &t,
        &cast.admin,
        ckan_body(&catalog, "Catalogue CKAN", Some(&cast.org)),
    )
    .await;
    let id = r.body["id"].as_str().expect("id").to_owned();
    let mut editor = browser(&t, &cast.editor).await;
    let page = editor.get(&format!("/harvest/{id}/preview")).await;
    ok(&page);
    assert!(
        page.html
            .contains("<th scope=\"col\">Identifiant distant</th>")
    );
    assert!(page.html.contains("Jeu air"));
    assert!(page.html.contains("serait créé"));
    assert!(
        page.html.contains("rien n&#x27;est enregistré")
            || page.html.contains("rien n'est enregistré")
    );
    let r = t.get("/api/1/datasets/jeu-air/", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "nothing saved");
    let r = t
        .get(&format!("/api/1/harvest/source/{id}/jobs/"), None)
        .await;
    assert_eq!(r.body["total"], 0, "no job either");
    // A failing remote: the reason, not an error page.
    catalog.mode(Mode::ServerError);
    let page = editor.get(&format!("/harvest/{id}/preview")).await;
    ok(&page);
    assert!(page.html.contains("Échouée"));
    assert!(page.html.contains("503"), "{}", page.html);
    let mut other = browser(&t, &cast.other).await;
    let page = other.get(&format!("/harvest/{id}/preview")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // In English too.
    catalog.mode(Mode::Ok);
    editor.accept_language = Some("en".into());
    editor.cookies.remove("lang");
    let page = editor.get(&format!("/harvest/{id}/preview")).await;
    ok(&page);
    assert!(page.html.contains("would be created"), "{}", page.html);
}

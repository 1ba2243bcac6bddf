<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Brand.Subtitle ?><p class="brand-subtitle"><?cs var:Brand.Subtitle ?></p><?cs /if ?>
<?cs if:Logout.Confirm ?>
<p class="client" id="confirm">Do you want to sign out of <?cs var:Page.Realm ?><?cs if:Client.Name ?>, as <strong class="client-name"><?cs var:Client.Name ?></strong> asks<?cs /if ?>? You will be signed out of every application that uses this sign-in.</p>
<form method="post" action="<?cs var:Logout.Action ?>" id="logout">
<input type="hidden" name="logoutreq" value="<?cs var:Logout.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Logout.Csrf ?>">
<button id="submit" type="submit">Sign out</button>
</form>
<?cs else ?>
<p class="client" id="signed-out">You are signed out<?cs if:Client.Name ?> of <strong class="client-name"><?cs var:Client.Name ?></strong> and every application that uses this sign-in<?cs /if ?>.</p>
<?cs if:Logout.Notice ?><p class="message" role="alert" id="notice"><?cs var:Logout.Notice ?></p><?cs /if ?>
<?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>

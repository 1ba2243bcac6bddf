<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Brand.Subtitle ?><p class="brand-subtitle"><?cs var:Brand.Subtitle ?></p><?cs /if ?>
<?cs if:Logout.Confirm ?>
<p class="client" id="confirm"><?cs if:Client.Name ?><?cs var:Msg.signOutAsks.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.signOutAsks.1 ?> <?cs /if ?><?cs var:Msg.signOutConfirm.0 ?><?cs var:Page.Realm ?><?cs var:Msg.signOutConfirm.1 ?></p>
<form method="post" action="<?cs var:Logout.Action ?>" id="logout">
<input type="hidden" name="logoutreq" value="<?cs var:Logout.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Logout.Csrf ?>">
<button id="submit" type="submit"><?cs var:Msg.signOut ?></button>
</form>
<?cs else ?>
<p class="client" id="signed-out"><?cs if:Client.Name ?><?cs var:Msg.signedOutOf.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.signedOutOf.1 ?><?cs else ?><?cs var:Msg.signedOut ?><?cs /if ?></p>
<?cs if:Logout.Notice ?><p class="message" role="alert" id="notice"><?cs var:Logout.Notice ?></p><?cs /if ?>
<?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
